package com.soportemax.assistant.internal;

import com.soportemax.assistant.TestSettings;
import com.soportemax.chat.ConversationId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class AnswerQueueTests {

    final CountDownLatch release = new CountDownLatch(1);
    final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void finish() throws InterruptedException {
        release.countDown();
        for (Thread t : threads) t.join(Duration.ofSeconds(10));
    }

    @Test
    void runsAtMostTheConfiguredAnswersAtOnceAndRefusesBeyondTheQueue() throws Exception {
        var queue = new AnswerQueue(TestSettings.withQueue(1, 1, 1));
        var first = submit(queue, ConversationId.random(), "10.0.0.1", this::blocked);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.started.getCount() == 0);
        var second = submit(queue, ConversationId.random(), "10.0.0.2", () -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.waiting() == 1);

        assertThat(second.turn).as("the second waits for the first").isNotDone();
        assertThatThrownBy(() -> queue.run(ConversationId.random(), "10.0.0.3", () -> { }))
                .isInstanceOf(AnswerQueue.QueueFullException.class)
                .hasMessageContaining("max-queued-answers");

        release.countDown();
        assertThat(second.turn.get(5, TimeUnit.SECONDS)).isEqualTo(AnswerQueue.Turn.RAN);
    }

    @Test
    void aNewerMessageOfAConversationSupersedesItsWaitingOne() throws Exception {
        var queue = new AnswerQueue(TestSettings.withQueue(1, 10, 10));
        ConversationId conversation = ConversationId.random();
        var running = submit(queue, ConversationId.random(), "10.0.0.1", this::blocked);
        await().atMost(Duration.ofSeconds(5)).until(() -> running.started.getCount() == 0);
        var older = submit(queue, conversation, "10.0.0.2", () -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.waiting() == 1);

        var newer = submit(queue, conversation, "10.0.0.2", () -> { });

        assertThat(older.turn.get(5, TimeUnit.SECONDS)).isEqualTo(AnswerQueue.Turn.SUPERSEDED);
        assertThat(older.started.getCount()).as("the superseded answer never ran").isEqualTo(1);
        assertThat(queue.waiting()).as("one waiting answer per conversation").isEqualTo(1);
        release.countDown();
        assertThat(newer.turn.get(5, TimeUnit.SECONDS)).isEqualTo(AnswerQueue.Turn.RAN);
    }

    @Test
    void oneAddressCannotTakeTheWholeQueueFromOtherCustomers() throws Exception {
        var queue = new AnswerQueue(TestSettings.withQueue(1, 10, 2));
        var running = submit(queue, ConversationId.random(), "10.0.0.9", this::blocked);
        await().atMost(Duration.ofSeconds(5)).until(() -> running.started.getCount() == 0);
        submit(queue, ConversationId.random(), "10.6.6.6", () -> { });
        submit(queue, ConversationId.random(), "10.6.6.6", () -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.waiting() == 2);

        assertThatThrownBy(() -> queue.run(ConversationId.random(), "10.6.6.6", () -> { }))
                .isInstanceOf(AnswerQueue.QueueFullException.class)
                .hasMessageContaining("from this address");
        var someoneElse = submit(queue, ConversationId.random(), "192.168.1.20", () -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> queue.waiting() == 3);

        release.countDown();
        assertThat(someoneElse.turn.get(5, TimeUnit.SECONDS)).isEqualTo(AnswerQueue.Turn.RAN);
    }

    void blocked() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    record Submitted(CompletableFuture<AnswerQueue.Turn> turn, CountDownLatch started) {
    }

    Submitted submit(AnswerQueue queue, ConversationId conversation, String address, Runnable work) {
        var turn = new CompletableFuture<AnswerQueue.Turn>();
        var started = new CountDownLatch(1);
        threads.add(Thread.ofVirtual().start(() -> {
            try {
                turn.complete(queue.run(conversation, address, () -> {
                    started.countDown();
                    work.run();
                }));
            } catch (Throwable e) {
                turn.completeExceptionally(e);
            }
        }));
        return new Submitted(turn, started);
    }
}
