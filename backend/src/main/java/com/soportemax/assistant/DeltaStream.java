package com.soportemax.assistant;

import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ConversationId;
import com.soportemax.inference.engine.GeneratedToken;
import com.soportemax.inference.engine.TokenListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Forwards generated text to the customer's widget. The engine calls {@link #onToken} on its generating thread,
 * which must never block, so the text is queued and a virtual thread hands it to {@link BotReplies#stream},
 * joining whatever piled up meanwhile into one delta.
 */
final class DeltaStream implements TokenListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeltaStream.class);
    /** Marks the end of the stream; compared by identity, so a token whose text is "end" is not taken for it. */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end");

    private final LinkedBlockingQueue<String> pending = new LinkedBlockingQueue<>();
    private final Thread forwarder;

    DeltaStream(BotReplies replies, ConversationId conversation, long seq) {
        forwarder = Thread.ofVirtual().name("deltas-" + conversation).start(() -> forward(replies, conversation, seq));
    }

    @Override
    public void onToken(GeneratedToken token) {
        if (!token.text().isEmpty()) pending.add(token.text());
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

    /** Sends what is still queued, then stops. */
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
