package com.soportemax.assistant.internal;

import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.StopReason;

import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What makes a draft unfit to send whatever its calibrated confidence says. {@link #live} runs while the model
 * writes, on the text so far, before any of it reaches the customer: forbidden content, malformed text, a loop, or
 * a model that became unsure (the mean log-probability of its last tokens fell). {@link #finished} adds what only
 * the whole answer shows: cut off by the token limit.
 */
final class DraftCheck {

    /** Word trigrams in a sound answer are nearly all distinct; a model stuck in a loop repeats them. */
    static final double MIN_DISTINCT_TRIGRAMS = 0.5;
    static final int MIN_WORDS_FOR_REPETITION_CHECK = 12;
    /** Tokens over which the running confidence is taken. */
    static final int RUNNING_WINDOW = 8;
    /** A running mean log-probability under this (token probability about 0.14) means the model is guessing. */
    static final double MIN_RUNNING_LOG_PROB = -2.0;

    private DraftCheck() {
    }

    /**
     * @param recentLogProbs log-probabilities of the last tokens, oldest first (at most {@link #RUNNING_WINDOW})
     */
    static Optional<String> live(String text, double[] recentLogProbs, ForbiddenContent forbidden) {
        Optional<String> leaked = forbidden.find(text);
        if (leaked.isPresent()) return leaked;
        if (text.codePoints().anyMatch(c -> c == 0xFFFD || (Character.isISOControl(c) && c != '\n' && c != '\r'
                && c != '\t'))) {
            return Optional.of("the answer contains malformed characters");
        }
        if (recentLogProbs.length >= RUNNING_WINDOW) {
            double mean = java.util.Arrays.stream(recentLogProbs).average().orElse(0);
            if (mean < MIN_RUNNING_LOG_PROB) {
                return Optional.of(String.format(Locale.ROOT, "the model became unsure while writing (mean token "
                        + "probability %.2f over its last %d tokens)", Math.exp(mean), recentLogProbs.length));
            }
        }
        return repetition(text);
    }

    static Optional<String> finished(Completion completion, String draft, ForbiddenContent forbidden) {
        if (completion.stopReason() == StopReason.MAX_TOKENS || completion.stopReason() == StopReason.CONTEXT_FULL) {
            return Optional.of("the answer was cut off (" + completion.stopReason() + " after "
                    + completion.completionTokens() + " tokens)");
        }
        Optional<String> leaked = forbidden.find(draft);
        if (leaked.isPresent()) return leaked;
        if (draft.codePoints().anyMatch(c -> c == 0xFFFD || (Character.isISOControl(c) && c != '\n' && c != '\r'
                && c != '\t'))) {
            return Optional.of("the answer contains malformed characters");
        }
        return repetition(draft);
    }

    private static Optional<String> repetition(String draft) {
        String[] words = draft.toLowerCase(Locale.ROOT).split("\\s+");
        if (words.length >= MIN_WORDS_FOR_REPETITION_CHECK) {
            Set<String> distinct = new HashSet<>();
            int trigrams = words.length - 2;
            for (int i = 0; i < trigrams; i++) distinct.add(words[i] + ' ' + words[i + 1] + ' ' + words[i + 2]);
            if (distinct.size() < MIN_DISTINCT_TRIGRAMS * trigrams) {
                return Optional.of("the answer repeats itself (" + distinct.size() + " distinct word trigrams of "
                        + trigrams + ")");
            }
        }
        return Optional.empty();
    }
}
