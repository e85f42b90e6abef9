package com.soportemax.retention;

import java.util.UUID;

/**
 * A conversation was deleted, by the retention period or on the customer's request: every module removes what it
 * keeps about it beside the conversation itself. Published inside the deleting transaction and handled by
 * synchronous listeners, so that the erasure is all or nothing.
 */
public record ConversationErased(UUID conversationId) {

    public ConversationErased {
        if (conversationId == null) throw new IllegalArgumentException("conversationId is required");
    }
}
