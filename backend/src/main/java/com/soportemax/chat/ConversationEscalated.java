package com.soportemax.chat;

import java.time.Instant;

/**
 * A conversation entered the agents' queue.
 *
 * @param detail   human-readable explanation (e.g. "confidence 0.31 < 0.55")
 * @param botDraft what the assistant would have answered, for the agent; empty when none
 */
public record ConversationEscalated(ConversationId conversationId, EscalationReason reason, String detail,
                                    String botDraft, Instant at) {
}
