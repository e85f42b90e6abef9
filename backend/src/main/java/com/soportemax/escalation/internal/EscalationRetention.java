package com.soportemax.escalation.internal;

import com.soportemax.privacy.Redactor;
import com.soportemax.retention.ConversationAnonymised;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;

/**
 * The desk's records of an anonymised conversation lose their personal data: the ticket's draft and detail, the
 * agents' notes and desk entries, the drafts beside their replies and the e-mails sent to the customer (address
 * included). An erased conversation takes all of them with it (foreign keys, on delete cascade).
 */
@Component
class EscalationRetention {

    private final JdbcClient jdbc;

    EscalationRetention(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void on(ConversationAnonymised anonymised) {
        UUID conversation = anonymised.conversationId();
        Redactor redactor = anonymised.redactor();
        redact("escalation_tickets", "id", List.of("bot_draft", "detail"), conversation, redactor);
        redact("desk_entries", "id", List.of("text"), conversation, redactor);
        redact("agent_reply_drafts", "message_id", List.of("draft_text", "reply_text"), conversation, redactor);
        redact("outbound_emails", "id", List.of("to_address", "subject", "body"), conversation, redactor);
    }

    // Table and column names are constants of this class, never input.
    private void redact(String table, String key, List<String> columns, UUID conversation, Redactor redactor) {
        for (String column : columns) {
            record Row(UUID key, String text) {
            }
            jdbc.sql("select " + key + " as k, " + column + " as v from " + table + " where conversation_id = :id and "
                            + column + " is not null order by " + key)
                    .param("id", conversation).query((rs, row) -> new Row(rs.getObject("k", UUID.class), rs.getString("v")))
                    .list()
                    .forEach(row -> jdbc.sql("update " + table + " set " + column + " = :v where " + key + " = :k")
                            .param("v", redactor.redact(row.text())).param("k", row.key()).update());
        }
    }
}
