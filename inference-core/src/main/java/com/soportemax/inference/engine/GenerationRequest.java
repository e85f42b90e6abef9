package com.soportemax.inference.engine;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One generation.
 *
 * @param maxTokens    upper bound on completion tokens
 * @param stopStrings  generation stops before any of these appears in the text (the stop string is not emitted)
 * @param timeout      total time allowed, waiting in the queue included
 * @param alternatives how many most likely tokens (with the step's entropy) to report per generated token, 0 to
 *                     20; 0 reports only each token's own log-probability (entropy NaN), which costs less
 * @param session      a key for the conversation (e.g. its id): the engine keeps its KV cache for a while after the
 *                     generation, so the next request of the same conversation prefills only its new tokens
 * @param ignoreEndOfGeneration go on past end-of-generation tokens until {@code maxTokens} (benchmarks, as
 *                     llama.cpp's {@code ignore_eos})
 */
public record GenerationRequest(Prompt prompt, SamplingSettings sampling, int maxTokens,
                                List<String> stopStrings, Duration timeout, int alternatives,
                                Optional<String> session, boolean ignoreEndOfGeneration) {

    /** The most alternatives a request may ask for (as OpenAI's top_logprobs). */
    public static final int MAX_ALTERNATIVES = 20;

    public GenerationRequest {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(session, "session");
        stopStrings = List.copyOf(stopStrings);
        if (maxTokens < 1) throw new IllegalArgumentException("maxTokens must be >= 1, was " + maxTokens);
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive");
        if (alternatives < 0 || alternatives > MAX_ALTERNATIVES) {
            throw new IllegalArgumentException("alternatives must be in [0, " + MAX_ALTERNATIVES + "], was "
                    + alternatives);
        }
        if (session.isPresent() && session.get().isBlank()) {
            throw new IllegalArgumentException("session must not be blank");
        }
    }

    /** A request without per-token alternatives and without a session. */
    public GenerationRequest(Prompt prompt, SamplingSettings sampling, int maxTokens, List<String> stopStrings,
                             Duration timeout) {
        this(prompt, sampling, maxTokens, stopStrings, timeout, 0, Optional.empty(), false);
    }

    public static GenerationRequest chat(List<ChatMessage> messages, SamplingSettings sampling, int maxTokens) {
        return new GenerationRequest(Prompt.chat(messages), sampling, maxTokens, List.of(), Duration.ofMinutes(2));
    }

    /** This request, reporting the {@code count} most likely tokens and the entropy at each step. */
    public GenerationRequest withAlternatives(int count) {
        return new GenerationRequest(prompt, sampling, maxTokens, stopStrings, timeout, count, session,
                ignoreEndOfGeneration);
    }

    /** This request as part of the conversation {@code key}, whose KV cache the engine keeps between turns. */
    public GenerationRequest withSession(String key) {
        return new GenerationRequest(prompt, sampling, maxTokens, stopStrings, timeout, alternatives,
                Optional.of(key), ignoreEndOfGeneration);
    }

    /** This request, generating exactly {@code maxTokens} tokens (unless a stop string or the context ends it). */
    public GenerationRequest ignoringEndOfGeneration() {
        return new GenerationRequest(prompt, sampling, maxTokens, stopStrings, timeout, alternatives, session, true);
    }
}
