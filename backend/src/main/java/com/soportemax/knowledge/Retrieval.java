package com.soportemax.knowledge;

import java.util.List;

/**
 * What retrieval found for one question: the passages, best first, and the features the assistant's calibrated
 * confidence reads.
 *
 * @param passages      best first; each passage's {@link Passage#score()} is the fused relevance in [0, 1]
 * @param topScore      the first passage's score, 0 when nothing was found
 * @param margin        how far the first article leads the next (0..1; 1 when only one article): lexical retrieval,
 *                      its score minus the best score of another article; hybrid retrieval, {@code 1 − e^−lead} with
 *                      lead the difference of the two articles' fused standardised scores
 * @param coverage      share (0..1) of the question's topic words (stop words, greetings and question words removed)
 *                      found in the first passage, typos corrected
 * @param topicWords    how many topic words the question has (0 for "hola", "gracias", "??")
 * @param semantic      whether an embedding model took part in the ranking
 * @param scores        for each passage (same order), how each ranking scored it
 * @param agreement     how far the rankings agree on the first article (0..1): half for each of the lexical and
 *                      the semantic ranking that has it first, a quarter for one that has it second or third; 1
 *                      with one ranking only
 */
public record Retrieval(List<Passage> passages, double topScore, double margin, double coverage, int topicWords,
                        boolean semantic, List<Scores> scores, double agreement) {

    /**
     * One passage's scores.
     *
     * @param lexical  the word-matching (BM25F) score in [0, 1]; 0 when only the semantic ranking found it
     * @param semantic the cosine similarity of the question's and the passage's embeddings, null without an
     *                 embedding model (or while the passage has no vector yet)
     * @param fused    the passage's {@link Passage#score()}: the lexical score alone without a model; with one, the
     *                 higher of the lexical score and the semantic relevance (the cosine above
     *                 {@code soportemax.knowledge.semantic-floor}, rescaled to [0, 1]). The order is then that of
     *                 the weighted sum of both rankings' standardised scores.
     */
    public record Scores(double lexical, Double semantic, double fused) {
    }

    public Retrieval {
        passages = List.copyOf(passages);
        scores = List.copyOf(scores);
        if (scores.size() != passages.size()) {
            throw new IllegalArgumentException("one Scores per passage: " + scores.size() + " for "
                    + passages.size() + " passages");
        }
    }

    public Retrieval(List<Passage> passages, double topScore, double margin, double coverage, int topicWords,
                     boolean semantic, List<Scores> scores) {
        this(passages, topScore, margin, coverage, topicWords, semantic, scores, 1);
    }

    /** Lexical retrieval's result: each passage's score is its lexical score. */
    public Retrieval(List<Passage> passages, double topScore, double margin, double coverage, int topicWords,
                     boolean semantic) {
        this(passages, topScore, margin, coverage, topicWords, semantic,
                passages.stream().map(p -> new Scores(p.score(), null, p.score())).toList());
    }

    public static Retrieval none(int topicWords) {
        return new Retrieval(List.of(), 0, 0, 0, topicWords, false);
    }
}
