package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantSettings;
import com.soportemax.chat.ConversationId;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The assistant's one queue: at most {@code max-concurrent-answers} answers are prepared at once; the others wait in
 * arrival order, fairly. A conversation holds at most one waiting answer (a newer message supersedes the waiting
 * one: its answer will see both messages), an address at most {@code max-queued-per-address}, and the queue at most
 * {@code max-queued-answers}; beyond those a message is refused at once, so one client cannot make the bot
 * unavailable to others. Callers are virtual threads, so waiting costs nothing.
 */
@Component
class AnswerQueue {

    /** How a submitted answer ended. */
    enum Turn { RAN, SUPERSEDED }

    private final int maxRunning;
    private final int maxWaiting;
    private final int maxWaitingPerAddress;
    private final LinkedHashMap<ConversationId, Waiting> waiting = new LinkedHashMap<>();
    private final Map<String, Integer> waitingPerAddress = new HashMap<>();
    private int running;

    private record Waiting(String address, CompletableFuture<Boolean> turn) {
    }

    AnswerQueue(AssistantSettings settings) {
        this.maxRunning = settings.maxConcurrentAnswers();
        this.maxWaiting = settings.maxQueuedAnswers();
        this.maxWaitingPerAddress = settings.maxQueuedPerAddress();
    }

    /**
     * Runs {@code work} when its turn comes, or returns {@link Turn#SUPERSEDED} when a newer message of the same
     * conversation took its place while it waited.
     *
     * @throws QueueFullException when the queue, or this address's share of it, is full
     */
    Turn run(ConversationId conversation, String address, Runnable work) throws InterruptedException {
        CompletableFuture<Boolean> turn;
        synchronized (this) {
            if (running < maxRunning && waiting.isEmpty()) {
                running++;
                turn = CompletableFuture.completedFuture(true);
            } else {
                Waiting superseded = waiting.remove(conversation);
                if (superseded != null) {
                    release(superseded.address());
                    superseded.turn().complete(false);
                }
                if (waitingPerAddress.getOrDefault(address, 0) >= maxWaitingPerAddress) {
                    throw new QueueFullException("the assistant is busy with " + maxWaitingPerAddress
                            + " waiting answers from this address (soportemax.assistant.max-queued-per-address)");
                }
                if (waiting.size() >= maxWaiting) {
                    throw new QueueFullException("the assistant is busy: " + maxWaiting + " answers are already "
                            + "waiting (soportemax.assistant.max-queued-answers)");
                }
                turn = new CompletableFuture<>();
                waiting.put(conversation, new Waiting(address, turn));
                waitingPerAddress.merge(address, 1, Integer::sum);
            }
        }
        try {
            if (!turn.get()) return Turn.SUPERSEDED;
        } catch (InterruptedException e) {
            boolean holdsSlot;
            synchronized (this) {
                Waiting mine = waiting.get(conversation);
                if (mine != null && mine.turn() == turn) {
                    waiting.remove(conversation);
                    release(address);
                }
                holdsSlot = !turn.complete(false) && turn.getNow(false);
            }
            if (holdsSlot) finished();
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        try {
            work.run();
            return Turn.RAN;
        } finally {
            finished();
        }
    }

    /** How many answers wait for their turn. */
    synchronized int waiting() {
        return waiting.size();
    }

    private synchronized void finished() {
        Iterator<Map.Entry<ConversationId, Waiting>> next = waiting.entrySet().iterator();
        if (next.hasNext()) {
            Waiting w = next.next().getValue();
            next.remove();
            release(w.address());
            w.turn().complete(true);
        } else {
            running--;
        }
    }

    private void release(String address) {
        waitingPerAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    static final class QueueFullException extends RuntimeException {
        QueueFullException(String message) {
            super(message);
        }
    }
}
