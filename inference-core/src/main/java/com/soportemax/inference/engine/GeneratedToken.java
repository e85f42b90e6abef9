package com.soportemax.inference.engine;

import java.util.List;

/**
 * One generated token.
 *
 * @param text        the text this token completes; empty while a multi-byte UTF-8 character is still
 *                    incomplete, so that concatenating the texts never shows a broken character
 * @param logProb     log-probability of this token under the raw softmax at temperature 1 (llama.cpp's n_probs)
 * @param alternatives the most likely tokens at this step, most likely first, as many as the request asked for
 *                     ({@link GenerationRequest#alternatives()}; none by default)
 * @param entropy     entropy (nats) of that raw distribution; NaN when the request asked for no alternatives
 */
public record GeneratedToken(int id, String text, double logProb, List<TokenCandidate> alternatives, double entropy) {

    public GeneratedToken {
        alternatives = List.copyOf(alternatives);
    }

    public double probability() {
        return Math.exp(logProb);
    }
}
