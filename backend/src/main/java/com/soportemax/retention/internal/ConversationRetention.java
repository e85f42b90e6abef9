package com.soportemax.retention.internal;

import com.soportemax.privacy.Redactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * Applies the retention period. Several nodes may run the job at the same moment: a PostgreSQL advisory lock held for
 * the transaction lets exactly one of them work, the others return at once (and find nothing left to do later).
 */
@Service
public class ConversationRetention {

    private static final Logger log = LoggerFactory.getLogger(ConversationRetention.class);
    /** The advisory lock's key: any fixed number no other part of the application uses ("SMXRETEN"). */
    static final long LOCK = 0x534d585245544e4cL;

    private final JdbcClient jdbc;
    private final RetentionSettings settings;
    private final Clock clock;

    ConversationRetention(JdbcClient jdbc, RetentionSettings settings, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** What a run did; {@code ran} is false when another node held the lock or retention is off. */
    public record Outcome(boolean ran, RetentionSettings.Mode mode, Instant cutoff, int affected) {
    }

    @Scheduled(cron = "${soportemax.retention.cron:0 30 3 * * *}")
    void daily() {
        Outcome outcome = applyRetention();
        if (outcome.ran() && outcome.affected() > 0) {
            log.info("Retention: {} {} conversations with no message since {}", outcome.mode() == RetentionSettings.Mode.DELETE
                    ? "deleted" : "anonymised", outcome.affected(), outcome.cutoff());
        }
    }

    /** Deletes or anonymises every conversation whose last message is older than the period. */
    @Transactional
    public Outcome applyRetention() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (settings.keepsForever()) return new Outcome(false, settings.mode(), null, 0);
        Instant cutoff = now.minus(settings.period());
        Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:key)").param("key", LOCK).query(Boolean.class).single();
        if (!Boolean.TRUE.equals(locked)) return new Outcome(false, settings.mode(), cutoff, 0);
        List<UUID> old = jdbc.sql("""
                        select c.id from conversations c
                        where coalesce((select max(m.created_at) from messages m where m.conversation_id = c.id), c.created_at) < :cutoff
                          and not exists (select 1 from retention_anonymised a where a.conversation_id = c.id)""")
                .param("cutoff", Timestamp.from(cutoff)).query(UUID.class).list();
        for (UUID conversation : old) {
            if (settings.mode() == RetentionSettings.Mode.DELETE) delete(conversation);
            else anonymise(conversation, now);
        }
        jdbc.sql("insert into retention_runs (started_at, mode, cutoff, affected) values (:at, :mode, :cutoff, :n)")
                .param("at", Timestamp.from(now)).param("mode", settings.mode().name())
                .param("cutoff", Timestamp.from(cutoff)).param("n", old.size()).update();
        return new Outcome(true, settings.mode(), cutoff, old.size());
    }

    /**
     * Erases a customer's conversation on request: every message, answer record, rating, label and ticket. What
     * remains is the record that it was erased, by whom and when.
     *
     * @throws NoSuchElementException when there is no such conversation
     */
    @Transactional
    public void erase(UUID conversation, String erasedBy) {
        if (!delete(conversation)) throw new NoSuchElementException("No conversation " + conversation);
        jdbc.sql("insert into conversation_erasures values (:id, :by, :at) on conflict (conversation_id) do nothing")
                .param("id", conversation).param("by", erasedBy)
                .param("at", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).update();
        log.info("Conversation {} erased on request by {}", conversation, erasedBy);
    }

    // bot_answers has no foreign key to conversations; everything else goes with the conversation (on delete cascade).
    private boolean delete(UUID conversation) {
        jdbc.sql("delete from bot_answers where conversation_id = :id").param("id", conversation).update();
        return jdbc.sql("delete from conversations where id = :id").param("id", conversation).update() > 0;
    }

    private void anonymise(UUID conversation, Instant now) {
        Redactor redactor = Redactor.forConversation();
        List<Text> messages = jdbc.sql("select id, author, text from messages where conversation_id = :id order by seq")
                .param("id", conversation).query((rs, row) -> new Text(rs.getObject("id", UUID.class),
                        rs.getString("author"), rs.getString("text"))).list();
        messages.stream().filter(m -> m.author().equals("CUSTOMER")).forEach(m -> redactor.learnNames(m.text()));
        for (Text message : messages) {
            jdbc.sql("update messages set text = :text where id = :id")
                    .param("text", redactor.redact(message.text())).param("id", message.id()).update();
        }
        redactColumn("bot_answers", "answer_text", conversation, redactor);
        redactColumn("escalation_tickets", "bot_draft", conversation, redactor);
        redactColumn("escalation_tickets", "detail", conversation, redactor);
        redactColumn("conversation_ratings", "comment", conversation, redactor);
        redactColumn("answer_feedback", "reason", conversation, redactor);
        redactColumn("message_labels", "corrected_text", conversation, redactor);
        redactColumn("review_events", "corrected_text", conversation, redactor);
        redactColumn("desk_entries", "text", conversation, redactor);
        redactColumn("agent_reply_drafts", "draft_text", conversation, redactor);
        redactColumn("agent_reply_drafts", "reply_text", conversation, redactor);
        redactColumn("outbound_emails", "body", conversation, redactor);
        jdbc.sql("update conversations set contact_email = null, browser_id = null, opened_on_page = null where id = :id")
                .param("id", conversation).update();
        // The widget's token stops working: nobody can read the conversation as the customer any more.
        jdbc.sql("update conversations set token_hash = :revoked where id = :id")
                .param("revoked", "revoked-" + UUID.randomUUID().toString().replace("-", "")).param("id", conversation).update();
        jdbc.sql("insert into retention_anonymised values (:id, :at)").param("id", conversation)
                .param("at", Timestamp.from(now)).update();
    }

    private record Text(UUID id, String author, String text) {
    }

    private void redactColumn(String table, String column, UUID conversation, Redactor redactor) {
        // Table and column names are constants of this class, never input. Rows are told apart by their ctid, which
        // does not change within the transaction for a row not yet updated.
        String key = "ctid::text";
        List<String[]> rows = jdbc.sql("select " + key + " as k, " + column + " as v from " + table
                        + " where conversation_id = :id and " + column + " is not null")
                .param("id", conversation).query((rs, row) -> new String[]{rs.getString("k"), rs.getString("v")}).list();
        for (String[] row : rows) {
            jdbc.sql("update " + table + " set " + column + " = :v where conversation_id = :id and " + key + " = :k")
                    .param("v", redactor.redact(row[1])).param("id", conversation).param("k", row[0]).update();
        }
    }
}
