package com.soportemax.chat;

import com.soportemax.privacy.Redactor;

import java.time.Instant;
import java.util.List;

/**
 * The stored conversations as retention sees them: which are old, and removing or anonymising what the chat keeps of
 * one (the conversation, its messages, rating and thumbs). Everything that references the conversation in the
 * database goes with it when it is deleted; what other modules keep beside it is theirs to remove, on the retention
 * module's events.
 */
public interface ConversationArchive {

    /** Conversations whose last message (or, without messages, whose creation) is before {@code cutoff}. */
    List<ConversationId> silentSince(Instant cutoff);

    /** Deletes the conversation with its messages, rating and thumbs; false when there is no such conversation. */
    boolean delete(ConversationId conversation);

    /**
     * Replaces the personal data of the conversation's texts with {@code redactor}'s placeholders (the names the
     * customer gave are learned first, so that the redactor then knows them for the other modules' texts), forgets
     * the customer's contact details and revokes the widget token; ids, times, outcomes and ratings stay.
     *
     * @return false when there is no such conversation
     */
    boolean anonymise(ConversationId conversation, Redactor redactor);
}
