package com.soportemax.assistant.internal;

import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ConversationId;
import com.soportemax.inference.engine.GeneratedToken;
import com.soportemax.inference.engine.TokenListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Streams a model's answer to the customer, but only what has passed: every token, the live checks
 * ({@link DraftCheck#live}) run on the text so far, and text is released only up to the end of a sentence that
 * lies at least {@code holdBack} characters behind what the model has written. When a check fails the stream stops
 * for good ({@link #stopped()} completes with the reason) and the pipeline escalates: the doubtful part, still in
 * the window, was never sent. The engine calls {@link #onToken} on its generating thread, which must never block,
 * so released text is queued and a virtual thread hands it to {@link BotReplies#stream}.
 */
final class HeldBackStream implements TokenListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HeldBackStream.class);
    /** Marks the end of the stream; compared by identity, so a released text "end" is not taken for it. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end");

    private final int holdBack;
    private final ForbiddenContent forbidden;
    private final StringBuilder written = new StringBuilder();
    private final ArrayDeque<Double> recent = new ArrayDeque<>();
    private final CompletableFuture<String> stopped = new CompletableFuture<>();
    private final LinkedBlockingQueue<String> pending = new LinkedBlockingQueue<>();
    private final Thread forwarder;
    private int released;
    private double logProbSum;
    private int tokens;
    private double lowestProbability = 1;

    HeldBackStream(BotReplies replies, ConversationId conversation, long seq, int holdBack, ForbiddenContent forbidden) {
        this.holdBack = holdBack;
        this.forbidden = forbidden;
        forwarder = Thread.ofVirtual().name("deltas-" + conversation).start(() -> forward(replies, conversation, seq));
    }

    @Override
    public synchronized void onToken(GeneratedToken token) {
        if (stopped.isDone()) return;
        written.append(token.text());
        logProbSum += token.logProb();
        tokens++;
        lowestProbability = Math.min(lowestProbability, token.probability());
        recent.addLast(token.logProb());
        while (recent.size() > DraftCheck.RUNNING_WINDOW) recent.removeFirst();
        double[] window = recent.stream().mapToDouble(Double::doubleValue).toArray();
        Optional<String> problem = DraftCheck.live(written.toString(), window, forbidden);
        if (problem.isPresent()) {
            stopped.complete(problem.get());
            return;
        }
        int end = releasableEnd();
        if (end > released) {
            pending.add(written.substring(released, end));
            released = end;
        }
    }

    /** Completes with the reason when a live check stopped the answer. */
    CompletableFuture<String> stopped() {
        return stopped;
    }

    /** What the model wrote until it finished or was stopped. */
    synchronized String written() {
        return written.toString();
    }

    /** Mean log-probability of the tokens written so far (0 before the first). */
    synchronized double meanLogProb() {
        return tokens == 0 ? 0 : logProbSum / tokens;
    }

    synchronized double lowestTokenProbability() {
        return lowestProbability;
    }

    /** What the customer was shown. */
    synchronized String released() {
        return written.substring(0, released);
    }

    /** The end of the last sentence at least {@code holdBack} characters behind the newest text. */
    private int releasableEnd() {
        int limit = written.length() - holdBack;
        for (int i = Math.min(limit, written.length() - 1); i > released; i--) {
            char c = written.charAt(i - 1);
            boolean sentenceEnd = (c == '.' || c == '!' || c == '?' || c == '\n')
                    && Character.isWhitespace(written.charAt(i));
            if (sentenceEnd) return i + 1;
        }
        return released;
    }

    private void forward(BotReplies replies, ConversationId conversation, long seq) {
        List<String> batch = new ArrayList<>();
        boolean open = true;
        while (open) {
            try {
                batch.add(pending.take());
            } catch (InterruptedException e) {
                return;
            }
            pending.drainTo(batch);
            StringBuilder delta = new StringBuilder();
            for (String piece : batch) {
                if (piece == END) open = false;
                else delta.append(piece);
            }
            batch.clear();
            if (delta.isEmpty()) continue;
            try {
                replies.stream(conversation, seq, delta.toString());
            } catch (RuntimeException e) {
                // Live deltas are a courtesy: the full text is delivered (or escalated) once generation ends.
                log.warn("Streaming a delta to conversation {} failed: {}", conversation, e.toString());
            }
        }
    }

    /** Sends what was released and is still queued, then stops; the held-back rest goes with the final answer. */
    @Override
    public void close() {
        pending.add(END);
        try {
            if (!forwarder.join(Duration.ofSeconds(10))) forwarder.interrupt();
        } catch (InterruptedException e) {
            forwarder.interrupt();
            Thread.currentThread().interrupt();
        }
    }
}
