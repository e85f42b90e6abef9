package com.soportemax.inference.tensor;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Persistent workers that wait for the next job, spinning for {@link #SPIN_NANOS} and then parking. A job's range is
 * cut into a few contiguous chunks per thread that the caller and the workers claim from a shared counter: when a
 * worker is late (parked, or descheduled on a busy machine) the caller does its share instead of waiting for it.
 * One job at a time; a lock serialises callers.
 */
final class SpinningKernelPool implements KernelPool {

    /** Long enough to bridge the serial gaps of a forward pass, short enough not to burn a core between requests. */
    static final long SPIN_NANOS = 100_000;

    /** Chunks per thread: enough to rebalance around a late thread, few enough that claiming them costs nothing. */
    private static final int CHUNKS_PER_THREAD = 4;

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock submission = new ReentrantLock();

    private volatile Job job;
    private volatile boolean closed;

    SpinningKernelPool(int threads) {
        this.threads = threads;
        this.workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(i + 1);
            workers[i].start();
        }
    }

    static void checkArguments(int n, RangeTask task) {
        Objects.requireNonNull(task, "task");
        if (n < 0) {
            throw new IllegalArgumentException("parallelFor needs n >= 0, got " + n);
        }
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void parallelFor(int n, RangeTask task) {
        parallelFor(n, threads * CHUNKS_PER_THREAD, task);
    }

    @Override
    public void parallelFor(int n, int chunks, RangeTask task) {
        checkArguments(n, task);
        if (closed) {
            throw new IllegalStateException("kernel pool is closed");
        }
        if (n == 0) {
            return;
        }
        // Nested calls (from a task) and single items run inline: handing them off would deadlock or cost more.
        if (n == 1 || submission.isHeldByCurrentThread()
                || (Thread.currentThread() instanceof Worker w && w.pool() == this)) {
            task.run(0, n);
            return;
        }
        submission.lock();
        try {
            if (closed) {
                throw new IllegalStateException("kernel pool is closed");
            }
            Job current = new Job(task, n, Math.max(1, Math.min(n, chunks)), Thread.currentThread());
            job = current;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            current.runChunks();
            current.awaitCompletion();
            Throwable failure = current.failure.get();
            if (failure != null) {
                rethrow(failure);
            }
        } finally {
            submission.unlock();
        }
    }

    private static void rethrow(Throwable t) {
        if (t instanceof RuntimeException e) {
            throw e;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException("kernel task failed", t);
    }

    @Override
    public void close() {
        submission.lock();
        try {
            closed = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
        } finally {
            submission.unlock();
        }
    }

    /** One parallelFor call. Immutable but for its counters, so a worker that wakes late sees a finished job. */
    private static final class Job {
        final RangeTask task;
        final int n;
        final int chunks;
        final Thread caller;
        final AtomicInteger nextChunk = new AtomicInteger();
        final AtomicInteger finishedChunks = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        volatile boolean callerParked;

        Job(RangeTask task, int n, int chunks, Thread caller) {
            this.task = task;
            this.n = n;
            this.chunks = chunks;
            this.caller = caller;
        }

        void runChunks() {
            int chunk;
            while ((chunk = nextChunk.getAndIncrement()) < chunks) {
                int start = (int) ((long) n * chunk / chunks);
                int end = (int) ((long) n * (chunk + 1) / chunks);
                try {
                    task.run(start, end);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
                if (finishedChunks.incrementAndGet() == chunks && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        void awaitCompletion() {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            while (finishedChunks.get() != chunks) {
                Thread.onSpinWait();
                if ((++spins & 255) == 0 && System.nanoTime() > deadline) {
                    callerParked = true;
                    while (finishedChunks.get() != chunks) {
                        LockSupport.park(this);
                    }
                    callerParked = false;
                    return;
                }
            }
        }
    }

    private final class Worker extends Thread {
        volatile boolean parked;

        Worker(int index) {
            super("kernel-pool-" + index);
            setDaemon(true);
        }

        SpinningKernelPool pool() {
            return SpinningKernelPool.this;
        }

        @Override
        public void run() {
            Job seen = null;
            while (true) {
                Job next = awaitJob(seen);
                if (closed) {
                    return;
                }
                seen = next;
                next.runChunks();
            }
        }

        private Job awaitJob(Job seen) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            Job current;
            while ((current = job) == seen && !closed) {
                Thread.onSpinWait();
                if ((++spins & 255) == 0 && System.nanoTime() > deadline) {
                    parked = true;
                    while ((current = job) == seen && !closed) {
                        LockSupport.park(this);
                    }
                    parked = false;
                    return current;
                }
            }
            return current;
        }
    }
}
