package com.soportemax.chat;

import java.util.UUID;

/**
 * A {@link LiveEvent} as every application node receives it once committed (a local Spring event raised by the
 * PostgreSQL listener). It carries ids only; readers load what they show from the database.
 *
 * <p>Kinds raised by chat: {@code message} (message {@code seq} stored or completed), {@code state} (the
 * conversation's state changed), {@code retract} (bot message {@code seq} withdrawn), {@code writing} (the bot began
 * message {@code seq}) and {@code delta} (a piece of the bot's text: {@code text} from character {@code offset};
 * deltas are not stored and have id 0). Other modules add their own kinds.
 *
 * @param id the stored event's id, increasing; what agents' streams resume from
 */
public record LiveUpdate(long id, String kind, ConversationId conversationId, long seq, UUID ticketId, int offset,
                         String text) {
}
