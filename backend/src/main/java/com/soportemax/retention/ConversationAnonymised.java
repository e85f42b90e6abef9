package com.soportemax.retention;

import com.soportemax.privacy.Redactor;

import java.util.UUID;

/**
 * A conversation's own texts were anonymised by the retention period: every module replaces the personal data of the
 * texts it keeps about the conversation with {@code redactor}'s placeholders. The redactor is the conversation's: it
 * has learned the names the customer gave and numbers each value once, so that a value becomes the same placeholder
 * in every module's texts. Published inside the anonymising transaction and handled by synchronous listeners (one
 * after another, which the redactor needs), so that the anonymisation is all or nothing.
 */
public record ConversationAnonymised(UUID conversationId, Redactor redactor) {

    public ConversationAnonymised {
        if (conversationId == null || redactor == null) {
            throw new IllegalArgumentException("conversationId and redactor are required");
        }
    }
}
