package com.soportemax.inference.engine;

import java.util.concurrent.CompletableFuture;

/**
 * A loaded model that many threads can use at once. Up to {@link EngineOptions#maxConcurrentGenerations()}
 * generations are decoded together, in the same forward passes (continuous batching: each keeps its own KV cache,
 * sampling settings, seed and stop rules, and gives the same tokens as it would alone); the others wait in FIFO
 * order. Each request's timeout covers the wait. Implementations are thread-safe.
 */
public interface LanguageModel extends AutoCloseable {

    ModelInfo info();

    /** How many tokens this prompt takes (template and special tokens included), so callers can trim history. */
    int countTokens(Prompt prompt);

    /**
     * Starts a generation. Tokens reach {@code listener} as they are produced. The future completes with the
     * {@link Completion}, or exceptionally with {@link ContextOverflowException}, {@link GenerationException}
     * (queue full, timeout, engine failure). Cancelling the future stops the generation after the current token.
     */
    CompletableFuture<Completion> generate(GenerationRequest request, TokenListener listener);

    /** Frees the model; running generations fail, queued ones are rejected. */
    @Override
    void close();
}
