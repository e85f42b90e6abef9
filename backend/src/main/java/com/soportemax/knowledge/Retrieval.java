package com.soportemax.knowledge;

import java.util.List;

/**
 * What retrieval found for one question: the passages, best first, and the features the assistant's calibrated
 * confidence reads.
 *
 * @param passages      best first; each passage's {@link Passage#score()} is the fused relevance in [0, 1]
 * @param topScore      the first passage's score, 0 when nothing was found
 * @param margin        first article's score minus the best score of another article (0..1; 1 when only one article)
 * @param coverage      share (0..1) of the question's topic words (stop words, greetings and question words removed)
 *                      found in the first passage, typos corrected
 * @param topicWords    how many topic words the question has (0 for "hola", "gracias", "??")
 * @param semantic      whether an embedding model took part in the ranking
 */
public record Retrieval(List<Passage> passages, double topScore, double margin, double coverage, int topicWords,
                        boolean semantic) {

    public Retrieval {
        passages = List.copyOf(passages);
    }

    public static Retrieval none(int topicWords) {
        return new Retrieval(List.of(), 0, 0, 0, topicWords, false);
    }
}
