package com.soportemax.inference.tensor;

/** Creates {@link KernelPool}s. */
public final class KernelPools {

    private KernelPools() {
    }

    /**
     * A pool that runs {@link KernelPool#parallelFor} on {@code threads} threads: the calling thread and
     * {@code threads - 1} persistent daemon workers, which spin briefly after a task (decode hands them work hundreds
     * of times per token) and then park. Work is claimed in small contiguous chunks, so when a worker is late (parked,
     * or descheduled on a busy machine) the caller does its share instead of waiting. With {@code threads == 1} tasks run inline on the caller.
     * Concurrent callers are served one at a time; a task that calls {@code parallelFor} again runs the inner loop
     * inline. Close the pool to stop its workers.
     *
     * @throws IllegalArgumentException if {@code threads < 1}
     */
    public static KernelPool create(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("a kernel pool needs at least 1 thread, got " + threads);
        }
        return threads == 1 ? new InlineKernelPool() : new SpinningKernelPool(threads);
    }

    /** Runs every task on the calling thread. */
    private static final class InlineKernelPool implements KernelPool {
        private volatile boolean closed;

        @Override
        public int threads() {
            return 1;
        }

        @Override
        public void parallelFor(int n, int chunks, RangeTask task) {
            parallelFor(n, task);
        }

        @Override
        public void parallelFor(int n, RangeTask task) {
            SpinningKernelPool.checkArguments(n, task);
            if (closed) {
                throw new IllegalStateException("kernel pool is closed");
            }
            if (n > 0) {
                task.run(0, n);
            }
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
