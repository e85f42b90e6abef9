package com.soportemax.chat;

import java.time.Instant;

/** A conversation ended (closed by the agent or by the customer). */
public record ConversationClosed(ConversationId conversationId, Instant at) {
}
