package com.soportemax.chat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A message as the customer sees it.
 *
 * @param authorName the agent's name for AGENT messages, otherwise null
 * @param complete   false while the bot is still writing it
 * @param confidence the bot's confidence in [0, 1] for delivered BOT messages, otherwise null
 */
public record ChatMessage(UUID id, long seq, Author author, String authorName, String text, Instant createdAt,
                          boolean complete, Double confidence, List<SourceRef> sources) {

    public ChatMessage {
        sources = List.copyOf(sources);
    }
}
