package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantSettings;

import org.springframework.stereotype.Component;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the answers being prepared at once ({@code max-concurrent-answers}) and those waiting for a turn
 * ({@code max-queued-answers}). Callers are virtual threads, so waiting costs nothing; a full queue is refused
 * at once so the customer is handed to an agent instead of waiting without end.
 */
@Component
class AnswerQueue {

    private final Semaphore running;
    private final int maxWaiting;
    private final AtomicInteger waiting = new AtomicInteger();

    AnswerQueue(AssistantSettings properties) {
        this.running = new Semaphore(properties.maxConcurrentAnswers(), true);
        this.maxWaiting = properties.maxQueuedAnswers();
    }

    /**
     * Runs {@code work} when a slot is free.
     *
     * @throws QueueFullException when {@code max-queued-answers} answers are already waiting
     */
    void run(Runnable work) throws InterruptedException {
        if (!running.tryAcquire()) {
            if (waiting.incrementAndGet() > maxWaiting) {
                waiting.decrementAndGet();
                throw new QueueFullException(maxWaiting);
            }
            try {
                running.acquire();
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            work.run();
        } finally {
            running.release();
        }
    }

    static final class QueueFullException extends RuntimeException {
        QueueFullException(int maxWaiting) {
            super("the assistant is busy: " + maxWaiting + " answers are already waiting "
                    + "(soportemax.assistant.max-queued-answers)");
        }
    }
}
