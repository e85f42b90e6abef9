package com.soportemax.knowledge.internal;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.EmbeddingModels;
import com.soportemax.knowledge.internal.TextAnalysis.Language;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.ModelFileException;
import com.soportemax.shared.models.ModelDownloader;
import com.soportemax.shared.models.ModelFiles;
import com.soportemax.shared.models.ModelReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The sentence-embedding model semantic retrieval runs ({@code soportemax.knowledge.embedding-model}). Start-up never
 * waits for it: it is downloaded and loaded on a background thread, and until it is ready, or for good when it cannot
 * be had (no network, a damaged file), retrieval is lexical only and {@link #status()} says why. An
 * {@link EmbeddingModel} bean in the context (a remote embedding server) is used as is.
 */
@Component
class SemanticModel implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SemanticModel.class);

    /** Qwen3-Embedding's instruction for retrieval queries; decoder embedding models are trained with one. */
    static final String DECODER_QUERY_PREFIX =
            "Instruct: Given a customer's question, retrieve the help-centre passages that answer it\nQuery: ";

    enum State { OFF, LOADING, READY, UNAVAILABLE }

    /**
     * @param reference what the setting names
     * @param identity  the model as vectors are tagged with it (file name and checksum); empty unless ready
     * @param notice    for admins: why retrieval is lexical only and what to do; empty when ready
     */
    record Status(State state, String reference, String identity, String notice) {
    }

    /**
     * The loaded model and how texts are put to it.
     *
     * @param model      embeds questions
     * @param background embeds passages: a second instance of a model file (its weights are the same mapped file), so
     *                   a question never waits for a batch of passages; the same instance for a model bean
     */
    record Ready(EmbeddingModel model, EmbeddingModel background, String identity, String queryPrefix,
                 String passagePrefix, Language reads, Translator translator) {

        /** {@code question}, written in {@code language}, as the model reads it. */
        float[] embedQuery(String question, Language language) {
            return model.embed(queryPrefix + readable(TextAnalysis.spelledOut(question, language), language));
        }

        /**
         * Questions embedded by the background instance (never delaying a customer's question), each read in the
         * language its words show.
         */
        List<float[]> embedQuestionsInBackground(List<String> questions) {
            return background.embedAll(questions.stream().map(question -> {
                Language language = TextAnalysis.detect(question);
                return queryPrefix + readable(TextAnalysis.spelledOut(question, language), language);
            }).toList());
        }

        /** The texts of passages as the model reads them (each in its language), in order. */
        List<float[]> embedPassages(List<PassageText> passages) {
            return background.embedAll(passages.stream()
                    .map(p -> passagePrefix + readable(p.text().substring(passagePrefix.length()), p.language()))
                    .toList());
        }

        /**
         * A text in the model's language: as it is, or translated when the model reads one language only and the
         * text is in the other (the text as it is when translation fails, which the model reads as best it can).
         */
        private String readable(String text, Language language) {
            if (reads == null || language == null || language == reads) return text;
            return translator.translate(text, language, reads).orElse(text);
        }
    }

    /** Published (in this node) once the model is ready: the passages can be embedded. */
    record Loaded(String identity) {
    }

    private final KnowledgeProperties properties;
    private final Translator translator;
    private final ApplicationEventPublisher events;
    private final AtomicReference<Status> status = new AtomicReference<>();
    private volatile Ready ready;
    private volatile boolean ownsModel;
    private volatile Thread loader;

    SemanticModel(KnowledgeProperties properties, ObjectProvider<EmbeddingModel> provided,
                  ApplicationEventPublisher events, Translator translator) {
        this.properties = properties;
        this.translator = translator;
        this.events = events;
        EmbeddingModel given = provided.getIfUnique();
        ModelReference reference = properties.embeddingReference();
        if (given != null) {
            become(given, given, "bean " + given.info().name(),
                    "bean:" + given.info().name() + ":" + given.dimension());
            return;
        }
        if (reference instanceof ModelReference.None) {
            status.set(new Status(State.OFF, "none", "", "Semantic retrieval is off ("
                    + KnowledgeProperties.EMBEDDING_MODEL_SETTING + " is 'none'): questions are matched by their "
                    + "words only. To also match them by meaning, set it to a GGUF embedding model file or an "
                    + "hf:owner/repo/file.gguf reference reachable from this server, and restart."));
            return;
        }
        status.set(new Status(State.LOADING, reference.toString(), "", "The embedding model " + reference
                + " is being prepared; until it is ready, retrieval matches questions by their words only."));
        Thread thread = Thread.ofPlatform().daemon().name("embedding-model-loader").unstarted(() -> load(reference));
        loader = thread;
        thread.start();
    }

    Status status() {
        return status.get();
    }

    /** The model, once loaded. */
    Optional<Ready> ready() {
        return Optional.ofNullable(ready);
    }

    private void load(ModelReference reference) {
        EmbeddingModel loaded = null;
        EmbeddingModel background = null;
        try {
            Path file = switch (reference) {
                case ModelReference.LocalFile local -> local.path();
                case ModelReference.HuggingFace hf -> new ModelDownloader(properties.embeddingModelHub(),
                        Duration.ofSeconds(10), KnowledgeProperties.EMBEDDING_MODEL_SETTING)
                        .fetch(hf, properties.embeddingModelCache(), properties.embeddingModelSha256());
                case ModelReference.None none -> throw new IllegalStateException("nothing to load");
            };
            ModelFiles.checkIsGguf(file);
            long started = System.nanoTime();
            String checksum = ModelDownloader.sha256(file);
            EngineOptions options = new EngineOptions(properties.embeddingThreads(), 1, 64, 0);
            loaded = EmbeddingModels.load(file, options);
            background = EmbeddingModels.load(file, options);
            ownsModel = true;
            become(loaded, background, reference.toString(), file.getFileName() + "@" + checksum.substring(0, 16));
            log.info("Embedding model ready for semantic retrieval: {} ({}, {} dimensions), loaded in {} ms",
                    loaded.info().name(), loaded.info().architecture(), loaded.dimension(),
                    (System.nanoTime() - started) / 1_000_000);
        } catch (ModelFileException e) {
            close(loaded, background);
            unavailable(reference, "the file is not a usable GGUF embedding model: " + e.getMessage());
        } catch (IOException e) {
            close(loaded, background);
            unavailable(reference, "the model could not be obtained: " + e.getMessage());
        } catch (RuntimeException | OutOfMemoryError e) {
            close(loaded, background);
            log.error("Loading the embedding model {} failed", reference, e);
            unavailable(reference, "loading the model failed: " + e);
        }
    }

    private static void close(EmbeddingModel... models) {
        for (EmbeddingModel model : models) {
            if (model != null) model.close();
        }
    }

    private void become(EmbeddingModel model, EmbeddingModel background, String reference, String modelIdentity) {
        boolean decoder = !model.info().architecture().equals("bert");
        String queryPrefix = properties.embeddingQueryPrefix() != null ? properties.embeddingQueryPrefix()
                : decoder ? DECODER_QUERY_PREFIX : "";
        String passagePrefix = properties.embeddingPassagePrefix() != null ? properties.embeddingPassagePrefix() : "";
        Language reads = properties.embeddingReads().orElse(null);
        if (reads != null && !translator.available()) {
            log.warn("{} is set to {}, but no translator runs ({}): texts in the other language are embedded as they"
                    + " are", "soportemax.knowledge.embedding-language", reads.code(), translator);
            reads = null;
        }
        if (reads != null) modelIdentity = modelIdentity + "+" + reads.code();
        ready = new Ready(model, background, modelIdentity, queryPrefix, passagePrefix, reads, translator);
        status.set(new Status(State.READY, reference, modelIdentity, ""));
        events.publishEvent(new Loaded(modelIdentity));
    }

    private void unavailable(ModelReference reference, String reason) {
        String notice = "Semantic retrieval is unavailable: " + reason + ". Questions are matched by their words "
                + "only. To match them by meaning too, set " + KnowledgeProperties.EMBEDDING_MODEL_SETTING
                + " to a GGUF embedding model file on this server (e.g. --"
                + KnowledgeProperties.EMBEDDING_MODEL_SETTING + "=/models/Qwen3-Embedding-0.6B-Q8_0.gguf) or to an "
                + "hf:owner/repo/file.gguf reference it can download, and restart.";
        log.error(notice);
        status.set(new Status(State.UNAVAILABLE, reference.toString(), "", notice));
    }

    @Override
    public void destroy() {
        Thread thread = loader;
        if (thread != null) thread.interrupt();
        Ready current = ready;
        if (current != null && ownsModel) {
            current.model().close();
            current.background().close();
        }
    }
}
