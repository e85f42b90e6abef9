package com.soportemax.inference.engine;

import java.time.Duration;
import java.util.List;

/**
 * The result of a generation.
 *
 * @param meanLogProb  mean of the tokens' log-probabilities (0 when no token was generated)
 * @param minTokenProb the lowest probability of any generated token (1 when none was generated)
 */
public record Completion(String text, List<GeneratedToken> tokens, int promptTokens, int completionTokens,
                         double meanLogProb, double minTokenProb, StopReason stopReason,
                         Duration prefillTime, Duration decodeTime) {

    public Completion {
        tokens = List.copyOf(tokens);
    }

    public double decodeTokensPerSecond() {
        long nanos = decodeTime.toNanos();
        return nanos == 0 ? 0 : completionTokens * 1e9 / nanos;
    }

    public double prefillTokensPerSecond() {
        long nanos = prefillTime.toNanos();
        return nanos == 0 ? 0 : promptTokens * 1e9 / nanos;
    }
}
