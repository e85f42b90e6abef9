package com.soportemax.retention.internal;

import com.soportemax.chat.ConversationArchive;
import com.soportemax.chat.ConversationId;
import com.soportemax.privacy.NameLexicon;
import com.soportemax.privacy.Redactor;
import com.soportemax.retention.ConversationAnonymised;
import com.soportemax.retention.ConversationErased;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;

/**
 * Applies the retention period, once a day across nodes: a PostgreSQL advisory lock held for the transaction lets
 * exactly one node work at a time (the others return at once), and the daily job of a node whose schedule fires
 * later that day (UTC) finds the day's run recorded and does nothing.
 * The chat deletes or anonymises the conversation itself ({@link ConversationArchive}); the other modules remove
 * what they keep beside it on {@link ConversationErased} and {@link ConversationAnonymised}, handled in this
 * transaction.
 */
@Service
public class ConversationRetention {

    private static final Logger log = LoggerFactory.getLogger(ConversationRetention.class);
    /** The advisory lock's key: any fixed number no other part of the application uses ("SMXRETEN"). */
    static final long LOCK = 0x534d585245544e4cL;

    private final JdbcClient jdbc;
    private final ConversationArchive archive;
    private final ApplicationEventPublisher events;
    private final RetentionSettings settings;
    private final Clock clock;
    private final NameLexicon names;
    private final TransactionTemplate transaction;

    ConversationRetention(JdbcClient jdbc, ConversationArchive archive, ApplicationEventPublisher events,
                          RetentionSettings settings, ObjectProvider<Clock> clock, PlatformTransactionManager transactions,
                          NameLexicon names) {
        this.names = names;
        this.transaction = new TransactionTemplate(transactions);
        this.jdbc = jdbc;
        this.archive = archive;
        this.events = events;
        this.settings = settings;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** What a run did; {@code ran} is false when another node held the lock or retention is off. */
    public record Outcome(boolean ran, RetentionSettings.Mode mode, Instant cutoff, int affected) {
    }

    @Scheduled(cron = "${soportemax.retention.cron:0 30 3 * * *}")
    void daily() {
        Outcome outcome = runDaily();
        if (outcome.ran() && outcome.affected() > 0) {
            log.info("Retention: {} {} conversations with no message since {}", outcome.mode() == RetentionSettings.Mode.DELETE
                    ? "deleted" : "anonymised", outcome.affected(), outcome.cutoff());
        }
    }

    /**
     * The daily job's run, in one transaction that holds the lock throughout: nothing when another node holds it
     * or already ran the job today (UTC).
     */
    Outcome runDaily() {
        return transaction.execute(status -> apply(true));
    }

    /** Deletes or anonymises every conversation whose last message is older than the period. */
    @Transactional
    public Outcome applyRetention() {
        return apply(false);
    }

    private Outcome apply(boolean scheduled) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        if (settings.keepsForever()) return new Outcome(false, settings.mode(), null, 0);
        Instant cutoff = now.minus(settings.period());
        Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(:key)").param("key", LOCK).query(Boolean.class).single();
        if (!Boolean.TRUE.equals(locked)) return new Outcome(false, settings.mode(), cutoff, 0);
        if (scheduled && jdbc.sql("select exists (select 1 from retention_runs where scheduled and started_at >= :day)")
                .param("day", Timestamp.from(now.truncatedTo(ChronoUnit.DAYS))).query(Boolean.class).single()) {
            return new Outcome(false, settings.mode(), cutoff, 0);
        }
        Set<UUID> done = new HashSet<>(jdbc.sql("select conversation_id from retention_anonymised").query(UUID.class).list());
        List<ConversationId> old = archive.silentSince(cutoff).stream().filter(id -> !done.contains(id.value())).toList();
        for (ConversationId conversation : old) {
            if (settings.mode() == RetentionSettings.Mode.DELETE) delete(conversation);
            else anonymise(conversation, now);
        }
        jdbc.sql("""
                        insert into retention_runs (started_at, mode, cutoff, affected, scheduled)
                        values (:at, :mode, :cutoff, :n, :scheduled)""")
                .param("at", Timestamp.from(now)).param("mode", settings.mode().name()).param("scheduled", scheduled)
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
        if (!delete(new ConversationId(conversation))) throw new NoSuchElementException("No conversation " + conversation);
        jdbc.sql("insert into conversation_erasures values (:id, :by, :at) on conflict (conversation_id) do nothing")
                .param("id", conversation).param("by", erasedBy)
                .param("at", Timestamp.from(clock.instant().truncatedTo(ChronoUnit.MICROS))).update();
        log.info("Conversation {} erased on request by {}", conversation, erasedBy);
    }

    private boolean delete(ConversationId conversation) {
        if (!archive.delete(conversation)) return false;
        events.publishEvent(new ConversationErased(conversation.value()));
        return true;
    }

    private void anonymise(ConversationId conversation, Instant now) {
        Redactor redactor = Redactor.forConversation(names);
        if (!archive.anonymise(conversation, redactor)) return;
        events.publishEvent(new ConversationAnonymised(conversation.value(), redactor));
        jdbc.sql("insert into retention_anonymised values (:id, :at)").param("id", conversation.value())
                .param("at", Timestamp.from(now)).update();
    }
}
