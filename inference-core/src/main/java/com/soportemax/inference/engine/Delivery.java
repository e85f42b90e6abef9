package com.soportemax.inference.engine;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one generation's callbacks (tokens to its listener, then the completion) in order, off the scheduler
 * thread, so that a slow listener holds up only its own stream and never the batch.
 */
final class Delivery {

    private final Executor executor;
    private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();

    Delivery(Executor executor) {
        this.executor = executor;
    }

    void submit(Runnable action) {
        queue.add(action);
        if (queued.getAndIncrement() == 0) executor.execute(this::drain);
    }

    private void drain() {
        do {
            queue.poll().run();
        } while (queued.decrementAndGet() > 0);
    }
}
