package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationArchive;
import com.soportemax.chat.ConversationId;
import com.soportemax.privacy.Redactor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

@Service
class ChatArchive implements ConversationArchive {

    private final JdbcClient jdbc;

    ChatArchive(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    @Transactional(readOnly = true)
    public List<ConversationId> silentSince(Instant cutoff) {
        return jdbc.sql("""
                        select c.id from conversations c
                        where coalesce((select max(m.created_at) from messages m where m.conversation_id = c.id),
                                       c.created_at) < :cutoff
                        order by c.created_at""")
                .param("cutoff", Timestamp.from(cutoff)).query(UUID.class).list().stream()
                .map(ConversationId::new).toList();
    }

    @Override
    @Transactional
    public boolean delete(ConversationId conversation) {
        // Live events carry no text and have no foreign key; they would be pruned within a day anyway.
        jdbc.sql("delete from live_events where conversation_id = :id").param("id", conversation.value()).update();
        return jdbc.sql("delete from conversations where id = :id").param("id", conversation.value()).update() > 0;
    }

    @Override
    @Transactional
    public boolean anonymise(ConversationId conversation, Redactor redactor) {
        UUID id = conversation.value();
        // The token is replaced first: it also tells whether the conversation exists.
        int found = jdbc.sql("""
                        update conversations set token_hash = :revoked, contact_email = null, browser_id = null,
                            opened_on_page = null where id = :id""")
                .param("revoked", "revoked-" + UUID.randomUUID().toString().replace("-", "")).param("id", id).update();
        if (found == 0) return false;
        record Text(UUID id, String author, String authorName, String text) {
        }
        List<Text> messages = jdbc.sql("select id, author, author_name, text from messages where conversation_id = :id order by seq")
                .param("id", id).query((rs, row) -> new Text(rs.getObject("id", UUID.class), rs.getString("author"),
                        rs.getString("author_name"), rs.getString("text"))).list();
        // The staff who wrote are learned first: their names become <AGENT_n>, as in exports, never a customer's.
        messages.stream().filter(m -> "AGENT".equals(m.author())).forEach(m -> redactor.learnStaffName(m.authorName()));
        messages.forEach(m -> redactor.learnNames(m.text()));
        for (Text message : messages) {
            String redacted = redactor.redact(message.text());
            if (!redacted.equals(message.text())) {
                jdbc.sql("update messages set text = :text where id = :id").param("text", redacted)
                        .param("id", message.id()).update();
            }
        }
        jdbc.sql("select comment from conversation_ratings where conversation_id = :id and comment is not null")
                .param("id", id).query(String.class).optional()
                .ifPresent(comment -> jdbc.sql("update conversation_ratings set comment = :comment where conversation_id = :id")
                        .param("comment", redactor.redact(comment)).param("id", id).update());
        record Reason(long seq, String reason) {
        }
        jdbc.sql("select seq, reason from answer_feedback where conversation_id = :id and reason is not null order by seq")
                .param("id", id).query((rs, row) -> new Reason(rs.getLong("seq"), rs.getString("reason"))).list()
                .forEach(r -> jdbc.sql("update answer_feedback set reason = :reason where conversation_id = :id and seq = :seq")
                        .param("reason", redactor.redact(r.reason())).param("id", id).param("seq", r.seq()).update());
        return true;
    }
}
