package com.soportemax.inference.engine;

import java.time.Duration;
import java.util.List;

/**
 * The result of a generation.
 *
 * @param meanLogProb  mean of the tokens' log-probabilities (0 when no token was generated)
 * @param minTokenProb the lowest probability of any generated token (1 when none was generated)
 * @param prefillTime  from the start of the generation (after any wait in the queue) to its first token's logits
 * @param cachedPromptTokens prompt tokens whose KV came from the prefix cache instead of being computed
 */
public record Completion(String text, List<GeneratedToken> tokens, int promptTokens, int completionTokens,
                         double meanLogProb, double minTokenProb, StopReason stopReason,
                         Duration prefillTime, Duration decodeTime, int cachedPromptTokens) {

    public Completion {
        tokens = List.copyOf(tokens);
        if (cachedPromptTokens < 0 || cachedPromptTokens > promptTokens) {
            throw new IllegalArgumentException("cachedPromptTokens must be in [0, promptTokens]");
        }
    }

    /** A completion whose prompt was computed in full. */
    public Completion(String text, List<GeneratedToken> tokens, int promptTokens, int completionTokens,
                      double meanLogProb, double minTokenProb, StopReason stopReason, Duration prefillTime,
                      Duration decodeTime) {
        this(text, tokens, promptTokens, completionTokens, meanLogProb, minTokenProb, stopReason, prefillTime,
                decodeTime, 0);
    }

    /** Prompt tokens that were computed (not found in the prefix cache). */
    public int prefilledTokens() {
        return promptTokens - cachedPromptTokens;
    }

    public double decodeTokensPerSecond() {
        long nanos = decodeTime.toNanos();
        return nanos == 0 ? 0 : completionTokens * 1e9 / nanos;
    }

    public double prefillTokensPerSecond() {
        long nanos = prefillTime.toNanos();
        return nanos == 0 ? 0 : prefilledTokens() * 1e9 / nanos;
    }
}
