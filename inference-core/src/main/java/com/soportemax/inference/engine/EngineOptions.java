package com.soportemax.inference.engine;

/**
 * How a model is run.
 *
 * @param threads                  threads for the matrix kernels (0 = number of cores)
 * @param maxConcurrentGenerations generations that run at once; more wait in the queue
 * @param maxQueuedGenerations     waiting generations beyond which new ones are refused
 * @param contextLength            0 = the model's own context length; otherwise a smaller window (saves KV memory)
 */
public record EngineOptions(int threads, int maxConcurrentGenerations, int maxQueuedGenerations, int contextLength) {

    public static final EngineOptions DEFAULT = new EngineOptions(0, 2, 64, 4096);

    public EngineOptions {
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0");
        if (maxConcurrentGenerations < 1) throw new IllegalArgumentException("maxConcurrentGenerations must be >= 1");
        if (maxQueuedGenerations < 0) throw new IllegalArgumentException("maxQueuedGenerations must be >= 0");
        if (contextLength < 0) throw new IllegalArgumentException("contextLength must be >= 0");
    }

    public int effectiveThreads() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
