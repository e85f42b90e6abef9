package com.soportemax.escalation.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.LiveEvent;

import java.util.Locale;
import java.util.UUID;

/** What the escalation module announces live to agents' consoles (never to customers). */
sealed interface DeskChange extends LiveEvent {

    /** The queue changed: kind {@code ticket.new}, {@code ticket.claimed}, {@code ticket.released}... */
    record TicketChanged(ConversationId conversationId, UUID ticketId, Change change) implements DeskChange {
        @Override
        public String kind() {
            return "ticket." + change.name().toLowerCase(Locale.ROOT);
        }
    }

    /** A note or an agent's action was added to the agents' side of the transcript. */
    record EntryAdded(ConversationId conversationId) implements DeskChange {
        @Override
        public String kind() {
            return "desk";
        }
    }

    enum Change { NEW, CLAIMED, RELEASED, TRANSFERRED, RESOLVED, PRIORITY }
}
