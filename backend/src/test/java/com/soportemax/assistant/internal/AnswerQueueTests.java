package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantSettings;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnswerQueueTests {

    @Test
    void runsAtMostTheConfiguredAnswersAtOnceAndRefusesBeyondTheQueue() throws Exception {
        var queue = new AnswerQueue(properties(1, 1));
        var release = new CountDownLatch(1);
        var running = new AtomicInteger();
        var started = new CountDownLatch(1);
        Thread first = Thread.ofVirtual().start(() -> run(queue, () -> {
            running.incrementAndGet();
            started.countDown();
            await(release);
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        var secondRan = new CountDownLatch(1);
        Thread second = Thread.ofVirtual().start(() -> run(queue, secondRan::countDown));
        Thread.sleep(200);

        assertThat(secondRan.getCount()).as("the second waits for the first").isEqualTo(1);
        assertThatThrownBy(() -> queue.run(() -> { }))
                .isInstanceOf(AnswerQueue.QueueFullException.class)
                .hasMessageContaining("max-queued-answers");

        release.countDown();
        assertThat(secondRan.await(5, TimeUnit.SECONDS)).isTrue();
        first.join();
        second.join();
    }

    static void run(AnswerQueue queue, Runnable work) {
        try {
            queue.run(work);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static AssistantSettings properties(int concurrent, int queued) {
        return com.soportemax.assistant.TestSettings.withQueue(concurrent, queued, queued);
    }
}
