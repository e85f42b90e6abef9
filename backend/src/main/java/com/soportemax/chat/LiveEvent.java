package com.soportemax.chat;

import java.util.UUID;

/**
 * A change that customers' widgets or agents' consoles show live. Publish it (Spring's
 * {@code ApplicationEventPublisher}) inside the transaction that makes the change: chat stores it and announces it
 * to every application node through PostgreSQL {@code NOTIFY}, which PostgreSQL delivers only once the transaction
 * commits. Each node then raises a {@link LiveUpdate} for its own open streams.
 */
public interface LiveEvent {

    /** What happened, e.g. "message", "state", "ticket.new"; see {@link LiveUpdate}. */
    String kind();

    ConversationId conversationId();

    /** The message concerned; 0 when none. */
    default long seq() {
        return 0;
    }

    /** The escalation ticket concerned; null when none. */
    default UUID ticketId() {
        return null;
    }
}
