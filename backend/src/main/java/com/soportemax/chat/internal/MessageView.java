package com.soportemax.chat.internal;

import com.soportemax.chat.Author;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.SafeMarkdown;
import com.soportemax.chat.SourceRef;

import java.time.Instant;
import java.util.List;

/**
 * A message in the widget API's JSON (the list endpoint and the {@code message} server-sent event).
 *
 * @param role       who wrote it
 * @param authorName the agent's name on AGENT messages, otherwise null
 * @param complete   false while the bot is still writing it (its text then grows through {@code delta} events)
 * @param confidence the bot's confidence in [0, 1] on delivered BOT messages, otherwise null
 * @param html       the text's Markdown rendered safely ({@link SafeMarkdown}) on complete bot and agent messages,
 *                   otherwise null (show {@code text} as plain text)
 */
public record MessageView(long seq, Author role, String authorName, String text, Instant createdAt, boolean complete,
                          Double confidence, List<SourceRef> sources, String html) {

    public static MessageView of(ChatMessage message) {
        return new MessageView(message.seq(), message.author(), message.authorName(), message.text(),
                message.createdAt(), message.complete(), message.confidence(), message.sources(), html(message));
    }

    private static String html(ChatMessage message) {
        boolean formatted = message.author() == Author.BOT || message.author() == Author.AGENT;
        return formatted && message.complete() ? SafeMarkdown.toHtml(message.text()) : null;
    }

    MessageView withText(String text) {
        return new MessageView(seq, role, authorName, text, createdAt, complete, confidence, sources, html);
    }
}
