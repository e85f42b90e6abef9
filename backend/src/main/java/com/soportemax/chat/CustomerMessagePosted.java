package com.soportemax.chat;

import java.time.Instant;

/**
 * A customer message was stored while the assistant is in charge (state BOT). The assistant answers it.
 *
 * @param seq           the message's sequence number in its conversation
 * @param locale        "es" or "en"
 * @param clientAddress the address the message came from (the assistant gives each address a fair share of its
 *                      queue); empty when unknown
 */
public record CustomerMessagePosted(ConversationId conversationId, long seq, String text, String locale, Instant at,
                                    String clientAddress) {

    public CustomerMessagePosted {
        clientAddress = clientAddress == null ? "" : clientAddress;
    }

    public CustomerMessagePosted(ConversationId conversationId, long seq, String text, String locale, Instant at) {
        this(conversationId, seq, text, locale, at, "");
    }
}
