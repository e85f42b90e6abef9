package com.soportemax.inference.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How a model is run.
 *
 * @param threads                  threads for the matrix kernels (0 = number of cores)
 * @param maxConcurrentGenerations generations decoded together in one batch; more wait in the queue
 * @param maxQueuedGenerations     waiting generations beyond which new ones are refused
 * @param contextLength            0 = the model's own context length; otherwise a smaller window
 * @param prefixCacheBytes         native memory for KV caches kept after their generation (shared prompt prefixes
 *                                 such as the system prompt, and conversations between turns), evicted least
 *                                 recently used; 0 disables the cache
 * @param sessionTtl               how long a conversation's KV cache is kept after its last turn
 */
public record EngineOptions(int threads, int maxConcurrentGenerations, int maxQueuedGenerations, int contextLength,
                            long prefixCacheBytes, Duration sessionTtl) {

    /** 256 MB of prefix cache (about 1,300 positions of Qwen2.5-0.5B), conversations kept 10 minutes. */
    public static final long DEFAULT_PREFIX_CACHE_BYTES = 256L << 20;
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(10);

    public static final EngineOptions DEFAULT = new EngineOptions(0, 2, 64, 4096);

    public EngineOptions {
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
        if (maxConcurrentGenerations < 1) throw new IllegalArgumentException("maxConcurrentGenerations must be >= 1");
        if (maxQueuedGenerations < 0) throw new IllegalArgumentException("maxQueuedGenerations must be >= 0");
        if (contextLength < 0) throw new IllegalArgumentException("contextLength must be >= 0");
        if (prefixCacheBytes < 0) throw new IllegalArgumentException("prefixCacheBytes must be >= 0");
        if (sessionTtl.isNegative()) throw new IllegalArgumentException("sessionTtl must not be negative");
    }

    /** Options with the default prefix cache. */
    public EngineOptions(int threads, int maxConcurrentGenerations, int maxQueuedGenerations, int contextLength) {
        this(threads, maxConcurrentGenerations, maxQueuedGenerations, contextLength, DEFAULT_PREFIX_CACHE_BYTES,
                DEFAULT_SESSION_TTL);
    }

    /** These options with a prefix cache of {@code bytes} (0 disables it). */
    public EngineOptions withPrefixCache(long bytes) {
        return new EngineOptions(threads, maxConcurrentGenerations, maxQueuedGenerations, contextLength, bytes,
                sessionTtl);
    }

    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
