package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationId;

/** Something was asked of a conversation that has already ended. */
public class ConversationClosedException extends IllegalStateException {

    ConversationClosedException(ConversationId id) {
        super("Conversation " + id + " is closed; start a new conversation to write again.");
    }
}
