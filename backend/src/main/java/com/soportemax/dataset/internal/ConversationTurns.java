package com.soportemax.dataset.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One conversation as the export reads it: its turns in order (customer, bot, agent, and the drafts the assistant
 * wrote but did not send because it escalated), with the review and feedback of each.
 */
final class ConversationTurns {

    enum Author { CUSTOMER, BOT, AGENT, DRAFT }

    /**
     * @param settingsVersion the assistant settings the answer (BOT or DRAFT) was produced with, else null
     * @param passages        the passages it was given, as stored in {@code bot_answers.passages}
     * @param label           good, bad or unsafe, null when not reviewed
     * @param helpful         the customer's thumbs, null when none
     * @param replacedDraft   for an agent's reply: the bot draft it replaced, as the agents' console recorded it
     * @param agentName       for an agent's reply: the agent's display name, else null
     */
    record Turn(Author author, String text, Integer settingsVersion, String passages, String label,
                String correctedText, Boolean helpful, String replacedDraft, String agentName) {

        boolean rejectedByReview() {
            return "bad".equals(label) || "unsafe".equals(label);
        }

        boolean corrected() {
            return correctedText != null && !correctedText.isBlank();
        }
    }

    final UUID id;
    final String locale;
    final Integer rating;
    final List<Turn> turns = new ArrayList<>();

    ConversationTurns(UUID id, String locale, Integer rating) {
        this.id = id;
        this.locale = locale;
        this.rating = rating;
    }
}
