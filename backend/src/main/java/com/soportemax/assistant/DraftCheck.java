package com.soportemax.assistant;

import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.StopReason;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * What makes a draft unfit to send whatever its token probabilities say: cut off mid-answer, malformed text
 * (replacement or control characters), or a loop. A degenerate model repeating itself writes each token with high
 * probability, so the confidence score alone lets such text through.
 */
final class DraftCheck {

    /** Word trigrams in a sound answer are nearly all distinct; a model stuck in a loop repeats them. */
    static final double MIN_DISTINCT_TRIGRAMS = 0.5;
    static final int MIN_WORDS_FOR_REPETITION_CHECK = 12;

    private DraftCheck() {
    }

    /** Why the draft must not be delivered, if it must not. */
    static Optional<String> problem(Completion completion, String draft) {
        if (completion.stopReason() == StopReason.MAX_TOKENS || completion.stopReason() == StopReason.CONTEXT_FULL) {
            return Optional.of("the answer was cut off (" + completion.stopReason() + " after "
                    + completion.completionTokens() + " tokens)");
        }
        if (draft.codePoints().anyMatch(c -> c == 0xFFFD || (Character.isISOControl(c) && c != '\n' && c != '\r'
                && c != '\t'))) {
            return Optional.of("the answer contains malformed characters");
        }
        String[] words = draft.toLowerCase(java.util.Locale.ROOT).split("\\s+");
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
