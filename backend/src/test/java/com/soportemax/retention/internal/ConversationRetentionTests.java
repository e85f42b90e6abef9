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
        old = fixture.conversation(NOW.minus(Duration.ofDays(40)), "es")
                .customer(Duration.ZERO, "Hola, me llamo Ana Pérez y mi móvil es el 612 34 56 78")
                .bot(Duration.ofSeconds(3), "Gracias Ana Pérez, te llamamos al 612 34 56 78.", 0.8)
                .rating(5, "Ana Pérez encantada", Duration.ofMinutes(1));
        oldButActive = fixture.conversation(NOW.minus(Duration.ofDays(50)), "es")
                .customer(Duration.ZERO, "Soy Luis, ¿seguís abiertos?")
                .bot(Duration.ofSeconds(2), "Sí.", 0.9)
                .customer(Duration.ofDays(45), "¿Y en agosto?");
        recent = fixture.conversation(NOW.minus(Duration.ofDays(5)), "es")
                .customer(Duration.ZERO, "Me llamo Eva, ¿hacéis factura?")
                .bot(Duration.ofSeconds(2), "Sí, Eva.", 0.9);
        jdbc.update("""
                insert into dataset_exports (id, format, filters, exported_by, started_at, finished_at, lines, sha256, status)
                values (?, 'openai-sft', '{}'::jsonb, 'admin', ?, ?, 1, 'abc', 'DONE')""",
                UUID.randomUUID(), Timestamp.from(NOW.minus(Duration.ofDays(35))), Timestamp.from(NOW.minus(Duration.ofDays(35))));
    }

    private ConversationRetention retention(RetentionSettings.Mode mode) {
        return new ConversationRetention(jdbcClient, new RetentionSettings(Duration.ofDays(30), mode, "0 30 3 * * *"),
                context.getBeanProvider(Clock.class));
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
        ConversationRetention.Outcome outcome = run(retention(RetentionSettings.Mode.DELETE));

        assertThat(outcome.ran()).isTrue();
        assertThat(outcome.affected()).isEqualTo(1);
        assertThat(count("select count(*) from conversations where id = ?", old.id)).isZero();
        assertThat(count("select count(*) from messages where conversation_id = ?", old.id)).isZero();
        assertThat(count("select count(*) from bot_answers where conversation_id = ?", old.id)).isZero();
        assertThat(count("select count(*) from conversation_ratings where conversation_id = ?", old.id)).isZero();
        assertThat(count("select count(*) from messages where conversation_id = ?", oldButActive.id)).isEqualTo(3);
        assertThat(count("select count(*) from messages where conversation_id = ?", recent.id)).isEqualTo(2);
        assertThat(count("select count(*) from bot_answers where conversation_id in (?, ?)", oldButActive.id, recent.id)).isEqualTo(2);
        assertThat(count("select count(*) from dataset_exports")).isEqualTo(exports);
    }

    @Test
    void anonymisesOldConversationsOnceKeepingThemForStatistics() {
        ConversationRetention retention = retention(RetentionSettings.Mode.ANONYMISE);
        assertThat(run(retention).affected()).isEqualTo(1);

        assertThat(jdbc.queryForList("select text from messages where conversation_id = ? order by seq", String.class, old.id))
                .containsExactly("Hola, me llamo <NAME_1> y mi móvil es el <PHONE_1>",
                        "Gracias <NAME_1>, te llamamos al <PHONE_1>.");
        assertThat(jdbc.queryForObject("select answer_text from bot_answers where conversation_id = ?", String.class, old.id))
                .isEqualTo("Gracias <NAME_1>, te llamamos al <PHONE_1>.");
        assertThat(jdbc.queryForObject("select comment from conversation_ratings where conversation_id = ?", String.class, old.id))
                .isEqualTo("<NAME_1> encantada");
        assertThat(jdbc.queryForObject("select score from conversation_ratings where conversation_id = ?", Integer.class, old.id))
                .isEqualTo(5);
        WidgetClient.Reply read = new WidgetClient(port).messages(new WidgetClient.Conversation(old.id.toString(), old.token), 0);
        assertThat(read.status()).isEqualTo(401);
        assertThat(jdbc.queryForObject("select text from messages where conversation_id = ? and seq = 1", String.class,
                oldButActive.id)).isEqualTo("Soy Luis, ¿seguís abiertos?");
        assertThat(jdbc.queryForObject("select text from messages where conversation_id = ? and seq = 1", String.class,
                recent.id)).isEqualTo("Me llamo Eva, ¿hacéis factura?");

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
    void anAdminErasesACustomersConversationOnRequest() {
        WidgetClient client = new WidgetClient(port);
        String admin = WidgetClient.basic("admin@soportemax.test", "test-admin-password");
        assertThat(client.send("DELETE", "/api/admin/conversations/" + recent.id, null, admin).status()).isEqualTo(204);

        assertThat(count("select count(*) from conversations where id = ?", recent.id)).isZero();
        assertThat(count("select count(*) from bot_answers where conversation_id = ?", recent.id)).isZero();
        assertThat(jdbc.queryForObject("select erased_by from conversation_erasures where conversation_id = ?", String.class,
                recent.id)).isEqualTo("admin@soportemax.test");
        assertThat(count("select count(*) from conversations where id = ?", old.id)).isEqualTo(1);
        assertThat(client.send("DELETE", "/api/admin/conversations/" + recent.id, null, admin).status()).isEqualTo(404);
    }
}
