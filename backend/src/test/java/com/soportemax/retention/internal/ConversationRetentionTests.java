package com.soportemax.retention.internal;

import com.soportemax.AdminTest;
import com.soportemax.ConversationFixture;
import com.soportemax.MutableClock;
import com.soportemax.WidgetClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@AdminTest
class ConversationRetentionTests {

    private static final Instant NOW = Instant.parse("2021-06-30T12:00:00Z");

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JdbcClient jdbcClient;

    @Autowired
    MutableClock clock;

    @Autowired
    ApplicationContext context;

    @Autowired
    PlatformTransactionManager transactions;

    @Autowired
    DataSource dataSource;

    @LocalServerPort
    int port;

    ConversationFixture.Builder old;
    ConversationFixture.Builder oldButActive;
    ConversationFixture.Builder recent;

    @BeforeEach
    void conversations() {
        clock.set(NOW);
        // Everything before the test's "now" goes, so that only this fixture is older than the period.
        jdbc.update("delete from bot_answers where created_at < ?", Timestamp.from(NOW));
        jdbc.update("delete from conversations where created_at < ?", Timestamp.from(NOW));
        ConversationFixture fixture = new ConversationFixture(jdbc);
        old = withPersonalDataEverywhere(fixture.conversation(NOW.minus(Duration.ofDays(40)), "es"),
                "Ana Pérez", "612 34 56 78", "ana.perez@correo.es");
        oldButActive = fixture.conversation(NOW.minus(Duration.ofDays(50)), "es")
                .customer(Duration.ZERO, "Soy Luis, ¿seguís abiertos?")
                .bot(Duration.ofSeconds(2), "Sí.", 0.9)
                .customer(Duration.ofDays(45), "¿Y en agosto?");
        recent = withPersonalDataEverywhere(fixture.conversation(NOW.minus(Duration.ofDays(5)), "es"),
                "Eva Gil", "699 11 22 33", "eva.gil@correo.es");
        jdbc.update("""
                insert into dataset_exports (id, format, filters, exported_by, started_at, finished_at, lines, sha256, status)
                values (?, 'openai-sft', '{}'::jsonb, 'admin', ?, ?, 1, 'abc', 'DONE')""",
                UUID.randomUUID(), Timestamp.from(NOW.minus(Duration.ofDays(35))), Timestamp.from(NOW.minus(Duration.ofDays(35))));
    }

    /**
     * A conversation whose personal data is in every module's records: the chat's messages, rating and thumbs, the
     * assistant's answer records, the desk's ticket, note, reply draft and e-mail, the admins' correction.
     */
    private ConversationFixture.Builder withPersonalDataEverywhere(ConversationFixture.Builder conversation, String name,
                                                                   String phone, String email) {
        conversation.customer(Duration.ZERO, "Hola, me llamo " + name + " y mi móvil es el " + phone)
                .bot(Duration.ofSeconds(3), "Gracias " + name + ", te llamamos al " + phone + ".", 0.8)
                .customer(Duration.ofMinutes(1), "Mi correo es " + email + ", ¿me escribís?")
                .escalate(Duration.ofMinutes(1).plusSeconds(2), "LOW_CONFIDENCE", "Te escribimos a " + email + ".", 0.3)
                .agent(Duration.ofMinutes(2), "Lucía", "Hecho, " + name + ": te he escrito a " + email + ". Soy Lucía.")
                .rating(5, name + " encantada", Duration.ofMinutes(3))
                .label(2, "bad", "Gracias " + name + ", te llamamos hoy al " + phone + ".");
        UUID id = conversation.id;
        Timestamp at = Timestamp.from(NOW.minus(Duration.ofDays(100)));
        jdbc.update("insert into answer_feedback values (?, 2, false, ?, ?, ?)", id, "No llamasteis al " + phone, at, at);
        jdbc.update("""
                insert into review_events (conversation_id, message_id, action, label, corrected_text, reviewed_by, reviewed_at)
                values (?, ?, 'LABEL', 'bad', ?, 'fixture@soportemax.test', ?)""",
                id, conversation.messages.get(2L), "Gracias " + name + ", te llamamos hoy al " + phone + ".", at);
        jdbc.update("""
                insert into desk_entries (id, conversation_id, kind, author_email, author_name, text, created_at)
                values (?, ?, 'NOTE', 'lucia@soportemax.test', 'Lucía', ?, ?)""",
                UUID.randomUUID(), id, "Llamar a " + name + " al " + phone, at);
        jdbc.update("""
                insert into agent_reply_drafts (message_id, conversation_id, ticket_id, draft_text, reply_text, edited,
                    agent_email, created_at)
                select ?, ?, t.id, ?, ?, true, 'lucia@soportemax.test', ? from escalation_tickets t where t.conversation_id = ?""",
                conversation.messages.get(5L), id, "Te escribimos a " + email + ".",
                "Hecho, " + name + ": te he escrito a " + email + ". Soy Lucía.", at, id);
        jdbc.update("""
                insert into outbound_emails (id, conversation_id, to_address, subject, body, status, created_at)
                values (?, ?, ?, ?, ?, 'SENT', ?)""",
                UUID.randomUUID(), id, email, "Tu consulta, " + name, "Hola " + name + ", te llamamos al " + phone + ".", at);
        return conversation;
    }

    /** Every text any module keeps about the conversation, table.column -> values. */
    private java.util.Map<String, java.util.List<String>> textsOf(UUID conversation) {
        java.util.Map<String, java.util.List<String>> texts = new java.util.LinkedHashMap<>();
        for (String column : java.util.List.of("messages.text", "bot_answers.answer_text", "bot_answers.detail",
                "conversation_ratings.comment", "answer_feedback.reason", "escalation_tickets.bot_draft",
                "escalation_tickets.detail", "desk_entries.text", "agent_reply_drafts.draft_text",
                "agent_reply_drafts.reply_text", "outbound_emails.to_address", "outbound_emails.subject",
                "outbound_emails.body", "message_labels.corrected_text", "review_events.corrected_text")) {
            String[] parts = column.split("\\.");
            texts.put(column, jdbc.queryForList("select " + parts[1] + " from " + parts[0]
                    + " where conversation_id = ? order by 1", String.class, conversation));
        }
        return texts;
    }

    private ConversationRetention retention(RetentionSettings.Mode mode) {
        return new ConversationRetention(jdbcClient, context.getBean(com.soportemax.chat.ConversationArchive.class),
                context, new RetentionSettings(Duration.ofDays(30), mode, "0 30 3 * * *"),
                context.getBeanProvider(Clock.class), transactions,
                context.getBean(com.soportemax.privacy.NameLexicon.class));
    }

    private ConversationRetention.Outcome run(ConversationRetention retention) {
        return new TransactionTemplate(transactions).execute(status -> retention.applyRetention());
    }

    private long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    @Test
    void deletesConversationsSilentForLongerThanThePeriodAndNothingElse() {
        long exports = count("select count(*) from dataset_exports");
        var recentTexts = textsOf(recent.id);
        assertThat(recentTexts.values()).allSatisfy(texts -> assertThat(texts).isNotEmpty());
        ConversationRetention.Outcome outcome = run(retention(RetentionSettings.Mode.DELETE));

        assertThat(outcome.ran()).isTrue();
        assertThat(outcome.affected()).isEqualTo(1);
        assertThat(count("select count(*) from conversations where id = ?", old.id)).isZero();
        assertThat(count("select count(*) from messages where conversation_id = ?", old.id)).isZero();
        assertThat(count("select count(*) from bot_answers where conversation_id = ?", old.id)).isZero();
        assertThat(count("select count(*) from conversation_ratings where conversation_id = ?", old.id)).isZero();
        assertThat(textsOf(old.id).values()).allSatisfy(texts -> assertThat(texts).isEmpty());
        assertThat(count("select count(*) from messages where conversation_id = ?", oldButActive.id)).isEqualTo(3);
        assertThat(count("select count(*) from bot_answers where conversation_id = ?", oldButActive.id)).isEqualTo(1);
        assertThat(textsOf(recent.id)).isEqualTo(recentTexts);
        assertThat(count("select count(*) from dataset_exports")).isEqualTo(exports);
    }

    @Test
    void anonymisesOldConversationsOnceInEveryModulesRecordsWithTheSamePlaceholders() {
        var recentTexts = textsOf(recent.id);
        ConversationRetention retention = retention(RetentionSettings.Mode.ANONYMISE);
        assertThat(run(retention).affected()).isEqualTo(1);

        var texts = textsOf(old.id);
        assertThat(texts.get("messages.text")).containsExactlyInAnyOrder("Hola, me llamo <NAME_1> y mi móvil es el <PHONE_1>",
                "Gracias <NAME_1>, te llamamos al <PHONE_1>.", "Mi correo es <EMAIL_1>, ¿me escribís?",
                "Te pasamos con una persona del equipo de soporte.",
                "Hecho, <NAME_1>: te he escrito a <EMAIL_1>. Soy <AGENT_1>.");
        assertThat(texts.get("bot_answers.answer_text")).containsExactly("Gracias <NAME_1>, te llamamos al <PHONE_1>.",
                "Te escribimos a <EMAIL_1>.");
        assertThat(texts.get("conversation_ratings.comment")).containsExactly("<NAME_1> encantada");
        assertThat(texts.get("answer_feedback.reason")).containsExactly("No llamasteis al <PHONE_1>");
        assertThat(texts.get("escalation_tickets.bot_draft")).containsExactly("Te escribimos a <EMAIL_1>.");
        assertThat(texts.get("desk_entries.text")).containsExactly("Llamar a <NAME_1> al <PHONE_1>");
        assertThat(texts.get("agent_reply_drafts.draft_text")).containsExactly("Te escribimos a <EMAIL_1>.");
        assertThat(texts.get("agent_reply_drafts.reply_text")).containsExactly("Hecho, <NAME_1>: te he escrito a <EMAIL_1>. Soy <AGENT_1>.");
        assertThat(texts.get("outbound_emails.to_address")).containsExactly("<EMAIL_1>");
        assertThat(texts.get("outbound_emails.subject")).containsExactly("Tu consulta, <NAME_1>");
        assertThat(texts.get("outbound_emails.body")).containsExactly("Hola <NAME_1>, te llamamos al <PHONE_1>.");
        assertThat(texts.get("message_labels.corrected_text")).containsExactly("Gracias <NAME_1>, te llamamos hoy al <PHONE_1>.");
        assertThat(texts.get("review_events.corrected_text")).containsExactly("Gracias <NAME_1>, te llamamos hoy al <PHONE_1>.");
        assertThat(texts.toString()).doesNotContain("Ana", "Pérez", "612", "ana.perez", "Lucía");
        // Kept for statistics: the rating, the label, the outcome.
        assertThat(jdbc.queryForObject("select score from conversation_ratings where conversation_id = ?", Integer.class, old.id))
                .isEqualTo(5);
        assertThat(jdbc.queryForObject("select label from message_labels where conversation_id = ?", String.class, old.id))
                .isEqualTo("bad");
        WidgetClient.Reply read = new WidgetClient(port).messages(new WidgetClient.Conversation(old.id.toString(), old.token), 0);
        assertThat(read.status()).isEqualTo(401);

        assertThat(jdbc.queryForObject("select text from messages where conversation_id = ? and seq = 1", String.class,
                oldButActive.id)).isEqualTo("Soy Luis, ¿seguís abiertos?");
        assertThat(textsOf(recent.id)).isEqualTo(recentTexts);

        assertThat(run(retention).affected()).isZero();
    }

    @Test
    void onlyOneNodeRunsTheJobAtATime() throws Exception {
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var statement = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
                statement.setLong(1, ConversationRetention.LOCK);
                statement.execute();
            }
            ConversationRetention.Outcome outcome = run(retention(RetentionSettings.Mode.DELETE));
            assertThat(outcome.ran()).isFalse();
            assertThat(count("select count(*) from conversations where id = ?", old.id)).isEqualTo(1);
            other.rollback();
        }
        assertThat(run(retention(RetentionSettings.Mode.DELETE)).ran()).isTrue();
    }

    @Test
    void theDailyJobRunsOnceADayWhicheverNodesScheduleFiresAndHoldsTheLockWhileItWorks() throws Exception {
        jdbc.update("delete from retention_runs where scheduled");
        ConversationRetention first = retention(RetentionSettings.Mode.DELETE);
        ConversationRetention second = retention(RetentionSettings.Mode.DELETE);
        try (Connection other = dataSource.getConnection()) {
            other.setAutoCommit(false);
            try (var statement = other.prepareStatement("select pg_advisory_xact_lock(?)")) {
                statement.setLong(1, ConversationRetention.LOCK);
                statement.execute();
            }
            assertThat(first.runDaily().ran()).isFalse();
            assertThat(count("select count(*) from conversations where id = ?", old.id)).isEqualTo(1);
            other.rollback();
        }

        ConversationRetention.Outcome ran = first.runDaily();
        assertThat(ran.ran()).isTrue();
        assertThat(ran.affected()).isEqualTo(1);
        assertThat(count("select count(*) from conversations where id = ?", old.id)).isZero();
        clock.advance(Duration.ofMinutes(3));
        assertThat(second.runDaily().ran()).as("the other node, three minutes later").isFalse();
        clock.advance(Duration.ofDays(1));
        assertThat(second.runDaily().ran()).as("the next day").isTrue();
        assertThat(count("select count(*) from retention_runs where scheduled")).isEqualTo(2);
    }

    @Test
    void anAdminErasesACustomersConversationOnRequest() {
        WidgetClient client = new WidgetClient(port);
        String admin = WidgetClient.basic("admin@soportemax.test", "test-admin-password");
        assertThat(client.send("DELETE", "/api/admin/conversations/" + recent.id, null, admin).status()).isEqualTo(204);

        assertThat(count("select count(*) from conversations where id = ?", recent.id)).isZero();
        assertThat(textsOf(recent.id).values()).allSatisfy(texts -> assertThat(texts).isEmpty());
        assertThat(jdbc.queryForObject("select erased_by from conversation_erasures where conversation_id = ?", String.class,
                recent.id)).isEqualTo("admin@soportemax.test");
        assertThat(count("select count(*) from conversations where id = ?", old.id)).isEqualTo(1);
        assertThat(textsOf(old.id).get("desk_entries.text")).containsExactly("Llamar a Ana Pérez al 612 34 56 78");
        assertThat(client.send("DELETE", "/api/admin/conversations/" + recent.id, null, admin).status()).isEqualTo(404);
    }
}
