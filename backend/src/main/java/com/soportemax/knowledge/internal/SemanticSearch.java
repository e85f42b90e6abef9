package com.soportemax.knowledge.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.util.Optional;

/**
 * The semantic half of retrieval: the question's vector against the passages' ({@link SemanticIndex}). Every node
 * keeps the vectors of its model in memory and reloads them when the table's content for that model has changed
 * (a cheap count-and-latest check before each question), and when the lexical index was rebuilt.
 */
@Component
class SemanticSearch {

    private static final Logger log = LoggerFactory.getLogger(SemanticSearch.class);

    private final SemanticModel model;
    private final PassageVectors vectors;
    private volatile Loaded loaded;

    private record Loaded(LexicalIndex index, String identity, String fingerprint, SemanticIndex semantic) {
    }

    SemanticSearch(SemanticModel model, PassageVectors vectors) {
        this.model = model;
        this.vectors = vectors;
    }

    /** Whether questions can be matched by meaning now (a model is ready and some passage has a vector). */
    Optional<SemanticIndex> index(LexicalIndex index) {
        Optional<SemanticModel.Ready> ready = model.ready();
        if (ready.isEmpty()) return Optional.empty();
        SemanticIndex semantic = current(index, ready.get());
        return semantic.rows() == 0 ? Optional.empty() : Optional.of(semantic);
    }

    /** Each passage's cosine with the question, NaN for a passage without a vector yet. */
    double[] cosines(SemanticIndex semantic, String question, TextAnalysis.Language language) {
        return semantic.cosines(model.ready().orElseThrow().embedQuery(question, language));
    }

    /** The texts' vectors as questions, by the background instance; empty without a ready model. */
    java.util.List<float[]> embedQuestions(java.util.List<String> texts) {
        return model.ready().map(ready -> ready.embedQuestionsInBackground(texts)).orElse(java.util.List.of());
    }

    private SemanticIndex current(LexicalIndex index, SemanticModel.Ready ready) {
        String fingerprint = vectors.fingerprint(ready.identity());
        Loaded now = loaded;
        if (now != null && now.index() == index && now.identity().equals(ready.identity())
                && now.fingerprint().equals(fingerprint)) {
            return now.semantic();
        }
        synchronized (this) {
            now = loaded;
            if (now != null && now.index() == index && now.identity().equals(ready.identity())
                    && now.fingerprint().equals(fingerprint)) {
                return now.semantic();
            }
            long started = System.nanoTime();
            SemanticIndex semantic = SemanticIndex.of(index, vectors.load(ready.identity()), ready.passagePrefix());
            loaded = new Loaded(index, ready.identity(), fingerprint, semantic);
            log.debug("Passage vectors loaded: {} of {} passages in {} ms", semantic.rows(), index.size(),
                    (System.nanoTime() - started) / 1_000_000);
            return semantic;
        }
    }
}
