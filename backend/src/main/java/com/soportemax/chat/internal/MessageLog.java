package com.soportemax.chat.internal;

import com.soportemax.chat.Author;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.SourceRef;
import org.springframework.context.ApplicationEventPublisher;
import com.soportemax.privacy.CardMask;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The messages of every conversation, an append-only log (a bot message is completed or withdrawn once).
 * Sequence numbers come from the conversation row's counter under its row lock, so messages of one conversation
 * are numbered 1, 2, 3... without gaps in the order they were stored. Callers run inside a transaction. Each change
 * raises its {@link ConversationChange} (message stored, bot writing, bot draft withdrawn).
 */
@Repository
class MessageLog {

    private static final String COLUMNS =
            "id, seq, author, author_name, text, created_at, complete, confidence, sources::text as sources";

    private final JdbcTemplate jdbc;
    private final JsonMapper json;
    private final RowMapper<ChatMessage> rowMapper;
    private final ApplicationEventPublisher events;

    MessageLog(JdbcTemplate jdbc, JsonMapper json, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.json = json;
        this.events = events;
        this.rowMapper = (rs, row) -> new ChatMessage(
                rs.getObject("id", UUID.class),
                rs.getLong("seq"),
                Author.valueOf(rs.getString("author")),
                rs.getString("author_name"),
                rs.getString("text"),
                rs.getTimestamp("created_at").toInstant(),
                rs.getBoolean("complete"),
                rs.getObject("confidence", Double.class),
                Arrays.asList(json.readValue(rs.getString("sources"), SourceRef[].class)));
    }

    /**
     * Stores a customer message unless one with the same {@code clientMessageId} exists, in which case that one
     * is returned. The conversation row lock serialises concurrent retries; the unique constraint on
     * (conversation_id, client_message_id) is the last word should anything get past it.
     */
    Appended appendCustomerMessage(ConversationId conversation, UUID clientMessageId, String text, Instant now) {
        ConversationState state = lockConversation(conversation);
        Optional<ChatMessage> existing = findByClientMessageId(conversation, clientMessageId);
        if (existing.isPresent()) {
            return new Appended(existing.get(), false, state);
        }
        if (state == ConversationState.CLOSED) {
            throw new ConversationClosedException(conversation);
        }
        long seq = nextSeq(conversation);
        UUID id = UUID.randomUUID();
        int inserted = jdbc.update("""
                insert into messages (id, conversation_id, seq, author, text, complete, client_message_id, created_at, completed_at)
                values (?, ?, ?, 'CUSTOMER', ?, true, ?, ?, ?)
                on conflict (conversation_id, client_message_id) do nothing""",
                id, conversation.value(), seq, text, clientMessageId, Timestamp.from(now), Timestamp.from(now));
        if (inserted == 0) {
            return new Appended(findByClientMessageId(conversation, clientMessageId).orElseThrow(), false, state);
        }
        events.publishEvent(new ConversationChange.MessageStored(conversation, seq));
        return new Appended(new ChatMessage(id, seq, Author.CUSTOMER, null, text, now, true, null, List.of()), true,
                state);
    }

    /** Appends a message that is complete from the start (SYSTEM notices, agent replies) or an open bot message. */
    ChatMessage append(ConversationId conversation, Author author, String authorName, String text, boolean complete,
                       Instant now) {
        long seq = nextSeq(conversation);
        UUID id = UUID.randomUUID();
        String stored = CardMask.mask(text);
        jdbc.update("""
                insert into messages (id, conversation_id, seq, author, author_name, text, complete, created_at, completed_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                id, conversation.value(), seq, author.name(), authorName, stored, complete, Timestamp.from(now),
                complete ? Timestamp.from(now) : null);
        events.publishEvent(complete ? new ConversationChange.MessageStored(conversation, seq)
                : new ConversationChange.BotWriting(conversation, seq));
        return new ChatMessage(id, seq, author, authorName, stored, now, complete, null, List.of());
    }

    /** Appends a bot message complete from the start, with its confidence and sources. */
    ChatMessage appendBotAnswer(ConversationId conversation, String text, double confidence, List<SourceRef> sources,
                                Instant now) {
        long seq = nextSeq(conversation);
        UUID id = UUID.randomUUID();
        String stored = CardMask.mask(text);
        jdbc.update("""
                insert into messages (id, conversation_id, seq, author, text, complete, confidence, sources, created_at, completed_at)
                values (?, ?, ?, 'BOT', ?, true, ?, ?::jsonb, ?, ?)""",
                id, conversation.value(), seq, stored, confidence, json.writeValueAsString(sources), Timestamp.from(now),
                Timestamp.from(now));
        events.publishEvent(new ConversationChange.MessageStored(conversation, seq));
        return new ChatMessage(id, seq, Author.BOT, null, stored, now, true, confidence, sources);
    }

    /** Completes an open bot message; empty when there is no open bot message with that seq. */
    Optional<ChatMessage> completeBotMessage(ConversationId conversation, long seq, String text, double confidence,
                                             List<SourceRef> sources, Instant now) {
        int updated = jdbc.update("""
                update messages set text = ?, confidence = ?, sources = ?::jsonb, complete = true, completed_at = ?
                where conversation_id = ? and seq = ? and author = 'BOT' and not complete and not withdrawn""",
                CardMask.mask(text), confidence, json.writeValueAsString(sources), Timestamp.from(now), conversation.value(), seq);
        if (updated == 0) {
            return Optional.empty();
        }
        events.publishEvent(new ConversationChange.MessageStored(conversation, seq));
        return find(conversation, seq);
    }

    /** Appends to the text of a bot message still being written (outside any transaction: one statement). */
    void appendToDraft(ConversationId conversation, long seq, String delta) {
        jdbc.update("""
                update messages set text = text || ?
                where conversation_id = ? and seq = ? and author = 'BOT' and not complete and not withdrawn""",
                delta, conversation.value(), seq);
    }

    /** Withdraws an open bot message from the customer's view; returns whether there was one. */
    boolean withdrawBotMessage(ConversationId conversation, long seq) {
        boolean withdrawn = jdbc.update("""
                update messages set withdrawn = true
                where conversation_id = ? and seq = ? and author = 'BOT' and not complete and not withdrawn""",
                conversation.value(), seq) > 0;
        if (withdrawn) {
            events.publishEvent(new ConversationChange.BotDraftWithdrawn(conversation, seq));
        }
        return withdrawn;
    }

    /** Withdraws bot messages begun before {@code before} and never finished; returns them as (conversation, seq). */
    List<Draft> withdrawDraftsBegunBefore(Instant before) {
        List<Draft> drafts = jdbc.query("""
                        update messages set withdrawn = true
                        where author = 'BOT' and not complete and not withdrawn and created_at < ?
                        returning conversation_id, seq""",
                (rs, row) -> new Draft(new ConversationId(rs.getObject("conversation_id", UUID.class)), rs.getLong("seq")),
                Timestamp.from(before));
        drafts.forEach(draft -> events.publishEvent(new ConversationChange.BotDraftWithdrawn(draft.conversation(), draft.seq())));
        return drafts;
    }

    record Draft(ConversationId conversation, long seq) {
    }

    Optional<ChatMessage> find(ConversationId conversation, long seq) {
        return jdbc.query("select " + COLUMNS + " from messages where conversation_id = ? and seq = ? and not withdrawn",
                rowMapper, conversation.value(), seq).stream().findFirst();
    }

    Optional<ChatMessage> findByClientMessageId(ConversationId conversation, UUID clientMessageId) {
        return jdbc.query("select " + COLUMNS + " from messages where conversation_id = ? and client_message_id = ?",
                rowMapper, conversation.value(), clientMessageId).stream().findFirst();
    }

    /** Visible messages (complete or still being written) after {@code afterSeq}, in order. */
    List<ChatMessage> after(ConversationId conversation, long afterSeq) {
        return jdbc.query("select " + COLUMNS
                        + " from messages where conversation_id = ? and seq > ? and not withdrawn order by seq",
                rowMapper, conversation.value(), afterSeq);
    }

    /** The last {@code max} complete customer/bot/agent messages before {@code beforeSeq}, oldest first. */
    List<ChatTurn> history(ConversationId conversation, long beforeSeq, int max) {
        List<ChatTurn> turns = jdbc.query("""
                        select author, text from messages
                        where conversation_id = ? and seq < ? and author <> 'SYSTEM' and complete and not withdrawn
                        order by seq desc limit ?""",
                (rs, row) -> new ChatTurn(Author.valueOf(rs.getString("author")), rs.getString("text")),
                conversation.value(), beforeSeq, max);
        return turns.reversed();
    }

    /** The lowest seq of a bot message still being written, if any. */
    OptionalLong lowestOpenSeq(ConversationId conversation) {
        Long seq = jdbc.queryForObject("""
                select min(seq) from messages where conversation_id = ? and not complete and not withdrawn""",
                Long.class, conversation.value());
        return seq == null ? OptionalLong.empty() : OptionalLong.of(seq);
    }

    /** The conversation's committed state. */
    ConversationState state(ConversationId conversation) {
        return ConversationState.valueOf(jdbc.queryForObject("select state from conversations where id = ?",
                String.class, conversation.value()));
    }

    boolean emailOffered(ConversationId conversation) {
        return Boolean.TRUE.equals(jdbc.queryForObject("select email_offered from conversations where id = ?",
                Boolean.class, conversation.value()));
    }

    /** Locks the conversation row until the transaction ends and returns its current (committed) state. */
    private ConversationState lockConversation(ConversationId conversation) {
        return ConversationState.valueOf(jdbc.queryForObject("select state from conversations where id = ? for update",
                String.class, conversation.value()));
    }

    private long nextSeq(ConversationId conversation) {
        Long seq = jdbc.queryForObject("update conversations set last_seq = last_seq + 1 where id = ? returning last_seq",
                Long.class, conversation.value());
        if (seq == null) {
            throw new IllegalStateException("Conversation " + conversation + " does not exist");
        }
        return seq;
    }

    /**
     * @param stored false when the message already existed (a retry)
     * @param state  the conversation's state when the message was stored, read under the row lock
     */
    record Appended(ChatMessage message, boolean stored, ConversationState state) {
    }
}
