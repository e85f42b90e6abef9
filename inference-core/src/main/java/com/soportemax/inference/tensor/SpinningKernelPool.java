package com.soportemax.inference.tensor;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Persistent workers that wait for a new task generation: spinning for {@link #SPIN_NANOS}, then parking. The caller
 * runs chunk 0 itself and waits the same way for the others. One task at a time (a lock serialises callers).
 */
final class SpinningKernelPool implements KernelPool {

    /** Long enough to bridge the serial gaps of a forward pass, short enough not to burn a core between requests. */
    static final long SPIN_NANOS = 100_000;

    private final int threads;
    private final Worker[] workers;
    private final ReentrantLock submission = new ReentrantLock();
    private final AtomicInteger remaining = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    // Written by the submitting thread before the volatile write of generation, read by workers after reading it.
    private RangeTask task;
    private int size;
    private Thread caller;

    private volatile long generation;
    private volatile boolean callerParked;
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
        checkArguments(n, task);
        if (closed) {
            throw new IllegalStateException("kernel pool is closed");
        }
        if (n == 0) {
            return;
        }
        // Nested calls (from a task) and tiny ranges run inline: handing them off would deadlock or cost more.
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
            this.task = task;
            this.size = n;
            this.caller = Thread.currentThread();
            failure.set(null);
            remaining.set(workers.length);
            generation = generation + 1;
            for (Worker w : workers) {
                if (w.parked) {
                    LockSupport.unpark(w);
                }
            }
            runChunk(task, n, 0);
            awaitWorkers();
            this.task = null;
            Throwable t = failure.get();
            if (t != null) {
                failure.set(null);
                rethrow(t);
            }
        } finally {
            submission.unlock();
        }
    }

    private void runChunk(RangeTask task, int n, int index) {
        int start = (int) ((long) n * index / threads);
        int end = (int) ((long) n * (index + 1) / threads);
        if (start < end) {
            try {
                task.run(start, end);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            }
        }
    }

    private void awaitWorkers() {
        long deadline = System.nanoTime() + SPIN_NANOS;
        int spins = 0;
        while (remaining.get() != 0) {
            Thread.onSpinWait();
            if ((++spins & 255) == 0 && System.nanoTime() > deadline) {
                callerParked = true;
                while (remaining.get() != 0) {
                    LockSupport.park(this);
                }
                callerParked = false;
                return;
            }
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

    private final class Worker extends Thread {
        private final int index;
        volatile boolean parked;

        Worker(int index) {
            super("kernel-pool-" + index);
            this.index = index;
            setDaemon(true);
        }

        SpinningKernelPool pool() {
            return SpinningKernelPool.this;
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long current = awaitGeneration(seen);
                if (closed) {
                    return;
                }
                seen = current;
                runChunk(task, size, index);
                if (remaining.decrementAndGet() == 0 && callerParked) {
                    LockSupport.unpark(caller);
                }
            }
        }

        private long awaitGeneration(long seen) {
            long deadline = System.nanoTime() + SPIN_NANOS;
            int spins = 0;
            long current;
            while ((current = generation) == seen && !closed) {
                Thread.onSpinWait();
                if ((++spins & 255) == 0 && System.nanoTime() > deadline) {
                    parked = true;
                    while ((current = generation) == seen && !closed) {
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
