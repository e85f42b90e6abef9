package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationId;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides whether one more event stream may open: at most so many per client address, per conversation and in all
 * ({@link WidgetLimitSettings}). Each open stream holds a connection and a thread's worth of state for as long as
 * it lasts, so this is what keeps one client from taking the widget, the agents' console and health checks down.
 */
@Component
public class StreamAdmission {

    private static final String TOO_MANY_FROM_ADDRESS = "Too many open event streams from your address; close some "
            + "chat windows.";

    private final WidgetLimitSettings settings;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final ConcurrentMap<ConversationId, AtomicInteger> perConversation = new ConcurrentHashMap<>();

    StreamAdmission(WidgetLimitSettings settings) {
        this.settings = settings;
    }

    /**
     * Takes a place for a new stream; release it exactly once when the stream ends.
     *
     * @throws ErrorResponseException 503 when the server holds its total, 429 past the address's or conversation's share
     */
    public Admitted admit(String address, ConversationId conversation) {
        if (total.incrementAndGet() > settings.streamsTotal()) {
            total.decrementAndGet();
            throw refused(HttpStatus.SERVICE_UNAVAILABLE, "The server holds as many live connections as it can; "
                    + "it will take yours shortly.");
        }
        if (!take(perAddress, address, settings.streamsPerAddress())) {
            total.decrementAndGet();
            throw refused(HttpStatus.TOO_MANY_REQUESTS, TOO_MANY_FROM_ADDRESS);
        }
        if (!take(perConversation, conversation, settings.streamsPerConversation())) {
            give(perAddress, address);
            total.decrementAndGet();
            throw refused(HttpStatus.TOO_MANY_REQUESTS, "Too many open event streams for this conversation; close "
                    + "other tabs with it.");
        }
        return new Admitted(address, conversation);
    }

    /**
     * Refuses at once an address that already holds its share of streams, so a flood of stream requests from it
     * costs neither a token check nor a database query. {@link #admit} decides for the others.
     *
     * @throws ErrorResponseException 429 when the address holds its share
     */
    public void refuseIfAddressHoldsItsShare(String address) {
        AtomicInteger count = perAddress.get(address);
        if (count != null && count.get() >= settings.streamsPerAddress()) {
            throw refused(HttpStatus.TOO_MANY_REQUESTS, TOO_MANY_FROM_ADDRESS);
        }
    }

    /** Streams open now (for health and load reports). */
    public int open() {
        return total.get();
    }

    private static <K> boolean take(ConcurrentMap<K, AtomicInteger> counts, K key, int limit) {
        boolean[] taken = new boolean[1];
        counts.compute(key, (k, count) -> {
            AtomicInteger current = count == null ? new AtomicInteger() : count;
            if (current.get() < limit) {
                current.incrementAndGet();
                taken[0] = true;
            }
            return current.get() == 0 ? null : current;
        });
        return taken[0];
    }

    private static <K> void give(ConcurrentMap<K, AtomicInteger> counts, K key) {
        counts.computeIfPresent(key, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }

    private ErrorResponseException refused(HttpStatus status, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status == HttpStatus.SERVICE_UNAVAILABLE ? "Server busy" : "Too many event streams");
        ErrorResponseException exception = new ErrorResponseException(status, problem, null);
        exception.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, settings.streamRetryAfter().toSeconds())));
        return exception;
    }

    /** A place held by one open stream. */
    public final class Admitted {
        private final String address;
        private final ConversationId conversation;
        private final AtomicBoolean released = new AtomicBoolean();

        private Admitted(String address, ConversationId conversation) {
            this.address = address;
            this.conversation = conversation;
        }

        /** Gives the place back; later calls do nothing. */
        public void release() {
            if (released.compareAndSet(false, true)) {
                give(perConversation, conversation);
                give(perAddress, address);
                total.decrementAndGet();
            }
        }
    }
}
