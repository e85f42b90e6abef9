package com.soportemax.chat;

import java.time.Instant;

/**
 * A customer message was stored while the assistant is in charge (state BOT). The assistant answers it.
 *
 * @param seq    the message's sequence number in its conversation
 * @param locale "es" or "en"
 */
public record CustomerMessagePosted(ConversationId conversationId, long seq, String text, String locale, Instant at) {
}
