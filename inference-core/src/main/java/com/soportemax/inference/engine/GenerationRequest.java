package com.soportemax.inference.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One generation.
 *
 * @param maxTokens   upper bound on completion tokens
 * @param stopStrings generation stops before any of these appears in the text (the stop string is not emitted)
 * @param timeout     total time allowed, waiting in the queue included
 */
public record GenerationRequest(Prompt prompt, SamplingSettings sampling, int maxTokens,
                                List<String> stopStrings, Duration timeout) {

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(timeout, "timeout");
        stopStrings = List.copyOf(stopStrings);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
    }

    public static GenerationRequest chat(List<ChatMessage> messages, SamplingSettings sampling, int maxTokens) {
        return new GenerationRequest(Prompt.chat(messages), sampling, maxTokens, List.of(), Duration.ofMinutes(2));
    }
}
