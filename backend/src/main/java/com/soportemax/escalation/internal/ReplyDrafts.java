package com.soportemax.escalation.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.privacy.CardMask;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * The bot's draft and the reply the agent sent instead, linked ({@code agent_reply_drafts}): the material of
 * training datasets. Stored for the first agent reply of a ticket that had a draft.
 */
@Repository
class ReplyDrafts {

    private final JdbcTemplate jdbc;

    ReplyDrafts(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    boolean hasPairFor(UUID ticketId) {
        Boolean exists = jdbc.queryForObject("select exists(select 1 from agent_reply_drafts where ticket_id = ?)",
                Boolean.class, ticketId);
        return Boolean.TRUE.equals(exists);
    }

    void store(UUID messageId, ConversationId conversation, UUID ticketId, String draft, String reply,
               String agentEmail, Instant now) {
        jdbc.update("""
                insert into agent_reply_drafts (message_id, conversation_id, ticket_id, draft_text, reply_text, edited,
                                                agent_email, created_at)
                values (?, ?, ?, ?, ?, ?, ?, ?)""", messageId, conversation.value(), ticketId, CardMask.mask(draft),
                CardMask.mask(reply),
                !draft.strip().equals(reply.strip()), agentEmail, Timestamp.from(now));
    }
}
