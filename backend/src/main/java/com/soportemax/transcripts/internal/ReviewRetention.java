package com.soportemax.transcripts.internal;

import com.soportemax.retention.ConversationAnonymised;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.UUID;

/**
 * The admins' corrections of an anonymised conversation lose their personal data, in the labels and in the review
 * history; labels, decisions, who and when stay. An erased conversation takes them with it (on delete cascade).
 */
@Component
class ReviewRetention {

    private final JdbcClient jdbc;

    ReviewRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(ConversationAnonymised anonymised) {
        UUID conversation = anonymised.conversationId();
        record Corrected(Object key, String text) {
        }
        jdbc.sql("""
                        select message_id, corrected_text from message_labels
                        where conversation_id = :id and corrected_text is not null order by labelled_at, message_id""")
                .param("id", conversation)
                .query((rs, row) -> new Corrected(rs.getObject(1, UUID.class), rs.getString(2))).list()
                .forEach(c -> jdbc.sql("update message_labels set corrected_text = :text where message_id = :key")
                        .param("text", anonymised.redactor().redact(c.text())).param("key", c.key()).update());
        jdbc.sql("""
                        select id, corrected_text from review_events
                        where conversation_id = :id and corrected_text is not null order by id""")
                .param("id", conversation)
                .query((rs, row) -> new Corrected(rs.getLong(1), rs.getString(2))).list()
                .forEach(c -> jdbc.sql("update review_events set corrected_text = :text where id = :key")
                        .param("text", anonymised.redactor().redact(c.text())).param("key", c.key()).update());
    }
}
