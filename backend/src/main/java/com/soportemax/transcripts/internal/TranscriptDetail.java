package com.soportemax.transcripts.internal;

import com.soportemax.privacy.NameLexicon;
import com.soportemax.privacy.Redactor;

import java.time.Instant;
import java.util.LinkedHashMap;
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

    /**
     * The transcript as it may leave for someone who is not an admin: every text the customer, the assistant or an
     * agent wrote has its personal data replaced by the conversation's placeholders (the names given or addressed
     * in any of its texts are learned first, so they are replaced wherever they appear; {@code names} finds those no
     * cue announces).
     */
    public TranscriptDetail redacted(NameLexicon names) {
        Redactor redactor = Redactor.forConversation(names);
        // The staff's own names first: <AGENT_n> in the texts ("Soy Lucía, del equipo"); the authors stay as they are.
        for (Entry e : entries) {
            if ("AGENT".equals(e.author())) redactor.learnStaffName(e.authorName());
        }
        notes.forEach(n -> redactor.learnStaffName(n.author()));
        // Then names from every text: an agent's "Hola María," or a correction names the customer too.
        for (Entry e : entries) {
            redactor.learnNames(e.text());
            redactor.learnNames(e.replacedDraft());
            if (e.label() != null) redactor.learnNames(e.label().correctedText());
        }
        notes.forEach(n -> redactor.learnNames(n.text()));
        history.forEach(h -> redactor.learnNames(h.correctedText()));
        List<Entry> safeEntries = entries.stream().map(e -> new Entry(e.messageId(), e.seq(), e.author(), e.authorName(),
                redactor.redact(e.text()), e.at(), e.confidence(), redactAnswer(e.answer(), redactor), e.passages(),
                e.label() == null ? null : new Label(e.label().label(), redactor.redact(e.label().correctedText()),
                        e.label().by(), e.label().at()),
                e.feedback() == null ? null : new Feedback(e.feedback().helpful(), redactor.redact(e.feedback().reason())),
                redactor.redact(e.replacedDraft()))).toList();
        return new TranscriptDetail(conversationId, createdAt, language, state, outcome, agent,
                escalation == null ? null : new Escalation(escalation.reason(), redactor.redact(escalation.detail()),
                        escalation.at(), escalation.claimedBy()),
                rating, redactor.redact(ratingComment), review, safeEntries,
                notes.stream().map(n -> new Note(n.author(), redactor.redact(n.text()), n.at())).toList(),
                history.stream().map(h -> new ReviewEvent(h.action(), h.messageId(), h.label(),
                        redactor.redact(h.correctedText()), h.by(), h.at())).toList());
    }

    private static Map<String, Object> redactAnswer(Map<String, Object> answer, Redactor redactor) {
        if (answer == null) return null;
        Map<String, Object> safe = new LinkedHashMap<>(answer);
        for (String text : List.of("answer_text", "detail")) {
            if (safe.get(text) instanceof String value) safe.put(text, redactor.redact(value));
        }
        return safe;
    }

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
