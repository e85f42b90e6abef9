package com.soportemax.assistant.internal;

import com.soportemax.retention.ConversationAnonymised;
import com.soportemax.retention.ConversationErased;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The assistant's records of a conversation's answers follow the conversation's retention: gone when it is erased
 * (they have no foreign key to it), their texts redacted when it is anonymised.
 */
@Component
class AnswerRetention {

    private final JdbcClient jdbc;

    AnswerRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(ConversationErased erased) {
        jdbc.sql("delete from bot_answers where conversation_id = :id").param("id", erased.conversationId()).update();
    }

    @EventListener
    void on(ConversationAnonymised anonymised) {
        record Answer(long customerSeq, String text, String detail) {
        }
        jdbc.sql("select customer_seq, answer_text, detail from bot_answers where conversation_id = :id order by customer_seq")
                .param("id", anonymised.conversationId())
                .query((rs, row) -> new Answer(rs.getLong(1), rs.getString(2), rs.getString(3))).list()
                .forEach(answer -> jdbc.sql("""
                                update bot_answers set answer_text = :text, detail = :detail
                                where conversation_id = :id and customer_seq = :seq""")
                        .param("text", anonymised.redactor().redact(answer.text()))
                        .param("detail", anonymised.redactor().redact(answer.detail()))
                        .param("id", anonymised.conversationId()).param("seq", answer.customerSeq()).update());
    }
}
