package com.soportemax.inference.tensor;

/**
 * The threads that run matrix kernels. {@link #parallelFor} splits [0, n) into contiguous chunks (a few per thread,
 * claimed by whichever thread is free, so a late thread does not hold the others up), runs each chunk once, and
 * returns when all are done. One pool is shared by all generations of a model.
 */
public interface KernelPool extends AutoCloseable {

    @FunctionalInterface
    interface RangeTask {
        void run(int start, int end);
    }

    int threads();

    void parallelFor(int n, RangeTask task);

    /**
     * {@link #parallelFor(int, RangeTask)} with [0, n) cut into {@code chunks} contiguous chunks of near-equal size
     * (clamped to [1, n]): more chunks than the default when the items are many and heavy, so that a thread that
     * finishes early waits less for the last one.
     */
    void parallelFor(int n, int chunks, RangeTask task);

    @Override
    void close();
}
