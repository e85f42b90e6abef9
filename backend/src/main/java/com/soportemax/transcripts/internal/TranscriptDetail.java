package com.soportemax.transcripts.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything about one conversation an admin reviews.
 *
 * @param entries messages and the assistant's unsent drafts, in the order they happened
 * @param notes   the agents' internal notes, oldest first
 */
public record TranscriptDetail(UUID conversationId, Instant createdAt, String language, String state, String outcome,
                               String agent, Escalation escalation, Integer rating, String ratingComment,
                               Review review, List<Entry> entries, List<Note> notes, List<ReviewEvent> history) {

    /** An agent's internal note (never shown to the customer). */
    public record Note(String author, String text, Instant at) {
    }

    /** Why and when the conversation was handed to a person. */
    public record Escalation(String reason, String detail, Instant at, String claimedBy) {
    }

    /** The training decision on the whole conversation. */
    public record Review(String decision, String by, Instant at) {
    }

    /**
     * One message (or, with author DRAFT, an answer the assistant wrote but did not send because it escalated).
     *
     * @param messageId  null for a draft
     * @param answer     the assistant's record of a BOT message or DRAFT: confidence and its components, passages,
     *                   settings version... (the {@code bot_answers} row as column -> value), null otherwise
     * @param replacedDraft for an agent's reply that followed an unsent draft: that draft, when it differs
     */
    public record Entry(UUID messageId, long seq, String author, String authorName, String text, Instant at,
                        Double confidence, Map<String, Object> answer, List<PassageLink> passages, Label label,
                        Feedback feedback, String replacedDraft) {

        public boolean reviewable() {
            return messageId != null && ("BOT".equals(author) || "AGENT".equals(author));
        }
    }

    /** A knowledge-base passage an answer was given, linking to its article. */
    public record PassageLink(UUID articleId, String externalId, String title, Double score) {
    }

    public record Label(String label, String correctedText, String by, Instant at) {
    }

    public record Feedback(boolean helpful, String reason) {
    }

    public record ReviewEvent(String action, UUID messageId, String label, String correctedText, String by, Instant at) {
    }
}
