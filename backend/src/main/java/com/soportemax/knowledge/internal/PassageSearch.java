package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;
import com.soportemax.knowledge.Retrieval;
import com.soportemax.knowledge.internal.TextAnalysis.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Lexical retrieval over the passages ({@link LexicalIndex}, BM25F).
 * <p>
 * <b>Terms.</b> The question's {@linkplain TextAnalysis#topicWords topic words} (chat spellings spelt out; stop
 * words, greetings and question words dropped) are stemmed. A word whose term no passage holds is taken for a
 * misspelling and replaced by the closest word of the passages ({@link LexicalIndex#correct}), which counts for 0.8
 * (one edit) or 0.6 (two); a word with no close match either is <em>unknown</em>: the knowledge base does not use it.
 * <p>
 * Question words ("cómo", "dónde") are searched with weight 0.3 and are not topic words. A question that asks for a
 * price or a time ({@link AnswerType}) also looks for passages that state one, and its verb of asking is not searched. A known term also matches
 * its word family (terms that differ only from its last letter on: "devolver" finds "devolución") at 0.7, and an
 * a word also matches the thesaurus synonym the articles use most specifically ({@link Thesaurus}) at 0.2.
 * <p>
 * <b>Score.</b> A passage's BM25F sum over the known terms is divided by what a passage holding every known term in
 * its title and body would get, giving {@code relevance} in [0, 1]; unknown words do not lower it. They lower the
 * score through {@code known}, the idf-weighted share of the question's topic words that the knowledge base knows at
 * all, softly (square root): a question whose distinctive words are all foreign to the articles is about something
 * else, while one or two stray words ("mi suegra", "el chalet") barely count. {@code evidence} = 1 − exp(−Σ idf of
 * the words the passage holds / 1.5): one common word ("pedido", in every article) is no evidence at all.
 * <pre>
 *   match = relevance × √known × evidence
 *   score = (1 − (1 − match)²) × (0.85 for a passage in the other language)
 * </pre>
 * The last step spreads the upper scale and keeps weak matches low: on three labelled sets (electricity retailer, telecom, online shop) the right
 * article scores typically 0.55–1, a question the articles do not cover below 0.5 (a stray shared word below 0.3),
 * and about 0.6 separates them best in retrieval-only mode.
 * At most {@code passagesPerArticle} passages per article.
 * <p>
 * <b>Semantic.</b> With an embedding model ready ({@link SemanticSearch}) the lexical ranking is fused with the
 * passages' cosine similarity to the question ({@link HybridRanking}); without one the result is the lexical ranking
 * alone.
 */
@Service
class PassageSearch implements KnowledgeBase {

    /** Larger limits are cut to this: more passages than this never fit a prompt. */
    static final int MAX_LIMIT = 50;
    static final int MAX_TERMS = 24;
    static final double OTHER_LANGUAGE = 0.85;
    /**
     * A passage found by the question's translation: machine translation loses some of its precision. A question is
     * translated only when most articles are written in the other language (an English question to a Spanish help
     * centre): articles in its own language are the ones written for its writer.
     */
    static final double TRANSLATED = 0.7;
    static final double KNOWN_EXPONENT = 0.5;
    /** The idf a passage's matched words must add up to for strong evidence (1 − 1/e of it). */
    static final double EVIDENCE = 1.5;

    private static final Logger log = LoggerFactory.getLogger(PassageSearch.class);

    private final PassageIndex passages;
    private final SemanticSearch semantic;
    private final HybridRanking fusion;
    private final int passagesPerArticle;

    PassageSearch(PassageIndex passages, SemanticSearch semantic, KnowledgeProperties properties) {
        this.passages = passages;
        this.semantic = semantic;
        this.fusion = new HybridRanking(properties.semanticFloor(), properties.fusionLexicalWeight());
        this.passagesPerArticle = properties.passagesPerArticle();
    }

    @Override
    @Transactional(readOnly = true)
    public List<Passage> search(String query, String locale, int limit) {
        return retrieve(query, locale, limit).passages();
    }

    @Override
    public List<float[]> embedQuestions(List<String> texts) {
        return texts.isEmpty() ? List.of() : semantic.embedQuestions(texts);
    }

    @Override
    @Transactional(readOnly = true)
    public Retrieval retrieve(String query, String locale, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        LexicalIndex index = passages.current();
        Supplier<double[]> cosines = semantic.index(index).<Supplier<double[]>>map(vectors -> () -> {
            try {
                return semantic.cosines(vectors, query, questionLanguage(query, locale));
            } catch (RuntimeException e) {
                log.warn("Embedding a question failed ({}); this question is matched by its words only", e.toString());
                return null;
            }
        }).orElse(null);
        return rank(index, passages.thesaurus(), passages.translator(), query, locale, limit, passagesPerArticle,
                cosines, fusion);
    }

    /** The language a question is read in: the one its words clearly show, else the conversation's. */
    static Language questionLanguage(String query, String locale) {
        Language written = TextAnalysis.clearLanguage(query);
        return written != null ? written : Language.of(locale);
    }

    /** The lexical ranking alone, on a given index. */
    static Retrieval rank(LexicalIndex index, Thesaurus thesaurus, Translator translator, String query,
                          String locale, int limit, int passagesPerArticle) {
        return rank(index, thesaurus, translator, query, locale, limit, passagesPerArticle, null, null);
    }

    /**
     * The ranking itself, on a given index.
     *
     * @param cosines each passage's cosine with the question (NaN: no vector), asked for only when the question has
     *                topic words; null, or giving null, for the lexical ranking alone
     */
    static Retrieval rank(LexicalIndex index, Thesaurus thesaurus, Translator translator, String query,
                          String locale, int limit, int passagesPerArticle, Supplier<double[]> cosines,
                          HybridRanking fusion) {
        Language language = questionLanguage(query, locale);
        Query asked = Query.of(query, language, index, thesaurus, true);
        if (asked.topicWords() == 0) return Retrieval.none(0);
        Language otherLanguage = language == Language.ES ? Language.EN : Language.ES;
        double[] scores = new double[index.size()];
        double[] coverage = new double[index.size()];
        asked.score(index, scores, coverage, 1.0);
        java.util.Optional<String> translated = index.passagesIn(otherLanguage) > index.passagesIn(language)
                ? translator.translate(query, language, otherLanguage) : java.util.Optional.empty();
        if (translated.isPresent()) {
            Query.of(translated.get(), otherLanguage, index, thesaurus, true).score(index, scores, coverage,
                    TRANSLATED);
        } else {
            Query.of(query, otherLanguage, index, thesaurus, false).score(index, scores, null, OTHER_LANGUAGE);
        }
        double[] similarities = cosines == null ? null : cosines.get();
        if (similarities != null) {
            return fusion.rank(index, scores, coverage, similarities, asked.topicWords(), limit, passagesPerArticle);
        }

        List<Integer> ranked = new ArrayList<>();
        for (int doc = 0; doc < scores.length; doc++) {
            if (scores[doc] > 0) ranked.add(doc);
        }
        ranked.sort(Comparator.comparingDouble((Integer doc) -> -scores[doc])
                .thenComparing(doc -> String.valueOf(index.doc(doc).source().externalId()))
                .thenComparingInt(doc -> index.doc(doc).source().position()));
        Map<UUID, Integer> perArticle = new HashMap<>();
        List<Passage> found = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int doc : ranked) {
            LexicalIndex.Source source = index.doc(doc).source();
            if (perArticle.merge(source.articleId(), 1, Integer::sum) > passagesPerArticle) continue;
            found.add(new Passage(source.articleId(), source.externalId(), source.title(), source.text(),
                    Math.min(1, scores[doc])));
            kept.add(doc);
            if (found.size() == Math.min(limit, MAX_LIMIT)) break;
        }
        if (found.isEmpty()) return Retrieval.none(asked.topicWords());
        Passage top = found.getFirst();
        double second = found.stream().filter(p -> !p.articleId().equals(top.articleId()))
                .mapToDouble(Passage::score).findFirst().orElse(0);
        return new Retrieval(found, top.score(), top.score() - second, Math.min(1, coverage[kept.getFirst()]),
                asked.topicWords(), false);
    }

    /** How a question was read: each topic word, its terms, corrections and synonyms (for admins and tuning). */
    static String explain(LexicalIndex index, Thesaurus thesaurus, String query, String locale) {
        Query asked = Query.of(query, Language.of(locale), index, thesaurus, true);
        StringBuilder s = new StringBuilder();
        for (Term term : asked.terms()) {
            s.append(term.word()).append('>');
            if (term.alternatives().isEmpty()) s.append("?");
            for (Alternative alternative : term.alternatives()) {
                s.append(alternative.stem()).append(alternative.likeness() < 1
                        ? String.format(java.util.Locale.ROOT, "~%.1f", alternative.likeness()) : "").append(',');
            }
            s.append(String.format(java.util.Locale.ROOT, "(%.2f) ", term.idf()));
        }
        return s.toString().strip();
    }

    /** A term a question's word is searched as: itself, a correction of its spelling, or a synonym. */
    private record Alternative(String stem, double likeness, double idf) {
    }

    /**
     * One topic word of a question, the terms it is searched as (best first; none when the knowledge base knows
     * neither it nor anything close), and its idf (that of df = 0 when unknown).
     */
    private record Term(String word, List<Alternative> alternatives, double idf, double weight) {

        boolean known() {
            return !alternatives.isEmpty();
        }

        /** What the best alternative weighs: weight × likeness × idf. */
        double strength() {
            return weight * alternatives.stream().mapToDouble(a -> a.likeness() * a.idf()).max().orElse(0);
        }
    }

    /** A question's terms in one language. */
    private record Query(Language language, List<Term> terms, int topicWords) {

        static final double SYNONYM = 0.2;
        static final int MAX_SYNONYMS = 1;
        /**
         * Synonyms are tried for words the articles use (a missing "eliminar" for "borrar"), not for words they never
         * use: on three labelled sets, synonyms of unknown words mostly matched questions the articles do not cover.
         */
        static final boolean UNKNOWN_SYNONYMS = false;
        static final boolean KNOWN_SYNONYMS = true;
        static final double FAMILY = 0.7;
        static final double QUESTION_WORD = 0.3;
        /** The weight of the kind of fact a question asks for ({@link AnswerType}) against a topic word's 1. */
        static final double ANSWER_TYPE = 1;

        static Query of(String text, Language language, LexicalIndex index, Thesaurus thesaurus, boolean expand) {
            LinkedHashSet<String> words = new LinkedHashSet<>(TextAnalysis.topicWords(text, language));
            AnswerType.Asked wanted = AnswerType.of(text);
            words.removeAll(wanted.phrasing());
            Map<String, Term> byStem = new LinkedHashMap<>();
            for (AnswerType type : wanted.types()) {
                int df = index.documentFrequency(language, type.term());
                if (df > 0) {
                    byStem.put(type.term(), new Term(type.term(), List.of(new Alternative(type.term(), 1,
                            index.idf(df))), index.idf(df), ANSWER_TYPE));
                }
            }
            int count = 0;
            int topic = 0;
            for (String word : words) {
                if (count++ == MAX_TERMS) break;
                boolean question = TextAnalysis.isQuestionWord(word);
                if (!question) topic++;
                double weight = question ? QUESTION_WORD : 1;
                String stem = TextAnalysis.stem(word, language);
                if (byStem.containsKey(stem)) continue;
                int df = index.documentFrequency(language, stem);
                if (df > 0) {
                    List<Alternative> alternatives = new ArrayList<>();
                    alternatives.add(new Alternative(stem, 1, index.idf(df)));
                    if (expand) {
                        for (String relative : index.family(stem, language)) {
                            alternatives.add(new Alternative(relative, FAMILY,
                                    index.idf(index.documentFrequency(language, relative))));
                        }
                        if (language == Language.ES && KNOWN_SYNONYMS) {
                            alternatives.addAll(synonyms(stem, index, thesaurus));
                        }
                    }
                    byStem.put(stem, new Term(word, List.copyOf(alternatives), index.idf(df), weight));
                    continue;
                }
                if (question) continue;
                List<Alternative> alternatives = new ArrayList<>();
                if (expand) {
                    LexicalIndex.Correction correction = index.correct(word, language);
                    if (correction != null) {
                        String corrected = TextAnalysis.stem(correction.word(), language);
                        int correctedDf = index.documentFrequency(language, corrected);
                        if (correctedDf > 0) {
                            alternatives.add(new Alternative(corrected, correction.edits() == 1 ? 0.8 : 0.6,
                                    index.idf(correctedDf)));
                        }
                    }
                    if (alternatives.isEmpty()) {
                        for (String relative : index.family(stem, language)) {
                            alternatives.add(new Alternative(relative, FAMILY,
                                    index.idf(index.documentFrequency(language, relative))));
                        }
                    }
                    if (alternatives.isEmpty() && language == Language.ES && UNKNOWN_SYNONYMS) {
                        alternatives.addAll(synonyms(stem, index, thesaurus));
                    }
                }
                byStem.put(stem, new Term(word, List.copyOf(alternatives), index.idf(0), weight));
            }
            return new Query(language, List.copyOf(byStem.values()), topic);
        }

        /** The synonyms the knowledge base uses, most specific (fewest passages) first. */
        private static List<Alternative> synonyms(String stem, LexicalIndex index, Thesaurus thesaurus) {
            List<Alternative> found = new ArrayList<>();
            for (String synonym : thesaurus.synonyms(stem)) {
                int df = index.documentFrequency(Language.ES, synonym);
                if (df > 0 && found.stream().noneMatch(a -> a.stem().equals(synonym))) {
                    found.add(new Alternative(synonym, SYNONYM, index.idf(df)));
                }
            }
            found.sort(Comparator.comparingDouble((Alternative a) -> -a.idf()));
            return found.size() > MAX_SYNONYMS ? found.subList(0, MAX_SYNONYMS) : found;
        }

        /**
         * Sets each passage's score (keeping a higher one already there) and, when asked, the share of the
         * question's topic words it holds. A word counts once, by its best alternative in the passage.
         */
        void score(LexicalIndex index, double[] scores, double[] coverage, double factor) {
            double known = 0;
            double all = 0;
            for (Term term : terms) {
                all += term.weight() * term.idf();
                known += term.strength();
            }
            if (known == 0) return;
            double attainable = known * LexicalIndex.fullMatch();
            double[] raw = new double[scores.length];
            double[] held = new double[scores.length];
            double[] best = new double[scores.length];
            double[] one = new double[scores.length];
            for (Term term : terms) {
                if (!term.known()) continue;
                java.util.Arrays.fill(best, 0);
                for (Alternative alternative : term.alternatives()) {
                    java.util.Arrays.fill(one, 0);
                    index.accumulate(language, alternative.stem(), term.weight() * alternative.likeness(),
                            alternative.idf(), one, null);
                    for (int doc = 0; doc < one.length; doc++) {
                        if (one[doc] > best[doc]) best[doc] = one[doc];
                    }
                }
                double strength = term.strength();
                for (int doc = 0; doc < best.length; doc++) {
                    if (best[doc] == 0) continue;
                    raw[doc] += best[doc];
                    held[doc] += strength;
                }
            }
            double knownShare = Math.pow(known / all, KNOWN_EXPONENT);
            for (int doc = 0; doc < raw.length; doc++) {
                if (raw[doc] == 0) continue;
                double evidence = 1 - Math.exp(-held[doc] / EVIDENCE);
                double match = Math.min(1, raw[doc] / attainable) * knownShare * evidence;
                double score = (1 - (1 - match) * (1 - match)) * factor;
                if (score <= scores[doc]) continue;
                scores[doc] = score;
                if (coverage != null) coverage[doc] = held[doc] / all;
            }
        }
    }
}
