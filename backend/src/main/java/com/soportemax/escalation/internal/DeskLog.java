package com.soportemax.escalation.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.privacy.CardMask;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The agents' side of each transcript: internal notes and what agents did. A table of its own, which the widget's
 * API and streams never read, so a note cannot reach the customer.
 */
@Repository
class DeskLog {

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    DeskLog(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    DeskEntry add(ConversationId conversation, DeskEntry.Kind kind, String authorEmail, String authorName, String written,
                  Instant now) {
        String text = CardMask.mask(written); // card numbers never stored, in notes either
        DeskEntry entry = new DeskEntry(UUID.randomUUID(), kind, authorEmail, authorName, text, now);
        jdbc.update("""
                insert into desk_entries (id, conversation_id, kind, author_email, author_name, text, created_at)
                values (?, ?, ?, ?, ?, ?, ?)""", entry.id(), conversation.value(), kind.name(), authorEmail, authorName,
                text, Timestamp.from(now));
        events.publishEvent(new DeskChange.EntryAdded(conversation));
        return entry;
    }

    List<DeskEntry> of(ConversationId conversation) {
        return jdbc.query("""
                        select id, kind, author_email, author_name, text, created_at from desk_entries
                        where conversation_id = ? order by created_at, id""",
                (rs, row) -> new DeskEntry(rs.getObject("id", UUID.class), DeskEntry.Kind.valueOf(rs.getString("kind")),
                        rs.getString("author_email"), rs.getString("author_name"), rs.getString("text"),
                        rs.getTimestamp("created_at").toInstant()),
                conversation.value());
    }
}
