package com.soportemax;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Writes conversations with exactly known times and contents straight into PostgreSQL, as the chat, assistant and
 * escalation modules store them, so that review, export and statistics tests start from facts they can compute
 * by hand.
 */
public final class ConversationFixture {

    /** The calibration the fixture's answers record: a fitted model's version, as the assistant stores it. */
    public static final String CALIBRATED = "fixture-model/with-model";

    private final JdbcTemplate jdbc;
    private final int settingsVersion;

    /** The assistant's settings must exist (they do once the assistant has read them: see {@link #currentSettings}). */
    public ConversationFixture(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.settingsVersion = currentSettings(jdbc);
    }

    public static int currentSettings(JdbcTemplate jdbc) {
        Integer version = jdbc.queryForObject("select max(version) from assistant_settings", Integer.class);
        if (version == null) {
            jdbc.update("""
                    insert into assistant_settings (version, system_prompt, temperature, top_p, max_answer_tokens,
                        min_confidence, min_retrieval_score, retrieval_only_min_score, changed_by)
                    values (1, 'Eres el asistente de atención al cliente de Tienda SoporteMax.', 0.2, 0.9, 256, 0.55, 0.2, 0.45,
                        'defaults (soportemax.assistant)') on conflict (version) do nothing""");
            version = jdbc.queryForObject("select max(version) from assistant_settings", Integer.class);
        }
        return version;
    }

    public int settingsVersion() {
        return settingsVersion;
    }

    public Builder conversation(Instant start, String locale) {
        return new Builder(start, locale);
    }

    public final class Builder {
        public final UUID id = UUID.randomUUID();
        /** The widget's bearer token for this conversation. */
        public final String token = "fixture-" + UUID.randomUUID() + UUID.randomUUID();
        private final Instant start;
        private long seq;
        private long lastCustomerSeq;
        /** Message ids by seq. */
        public final Map<Long, UUID> messages = new LinkedHashMap<>();

        Builder(Instant start, String locale) {
            this.start = start;
            jdbc.update("""
                    insert into conversations (id, token_hash, state, locale, created_at, updated_at)
                    values (?, ?, 'BOT', ?, ?, ?)""", id, sha256(token),
                    locale, ts(start), ts(start));
        }

        private Instant at(Duration offset) {
            return start.plus(offset);
        }

        private long message(String author, String name, String text, Duration offset, Double confidence) {
            seq++;
            UUID messageId = UUID.randomUUID();
            jdbc.update("""
                    insert into messages (id, conversation_id, seq, author, author_name, text, complete, confidence,
                        created_at, completed_at) values (?, ?, ?, ?, ?, ?, true, ?, ?, ?)""",
                    messageId, id, seq, author, name, text, confidence, ts(at(offset)), ts(at(offset)));
            jdbc.update("update conversations set last_seq = ?, updated_at = ? where id = ?", seq, ts(at(offset)), id);
            messages.put(seq, messageId);
            return seq;
        }

        public Builder customer(Duration offset, String text) {
            lastCustomerSeq = message("CUSTOMER", null, text, offset, null);
            return this;
        }

        /** A delivered bot answer to the last customer message, drawn from one passage of {@code articleId}. */
        public Builder bot(Duration offset, String text, double confidence) {
            long botSeq = message("BOT", null, text, offset, confidence);
            answer(botSeq, "DELIVERED", null, text, confidence, offset, CALIBRATED);
            return this;
        }

        /** A scripted reply (small talk): the assistant records confidence 1 set by rule, not by its model. */
        public Builder smallTalk(Duration offset, String text) {
            long botSeq = message("BOT", null, text, offset, 1.0);
            answer(botSeq, "SMALL_TALK", null, text, 1.0, offset, "scripted");
            return this;
        }

        /**
         * A delivered answer recorded before the assistant calibrated its confidence: {@code heuristicScore} is not a
         * probability (no calibration recorded).
         */
        public Builder uncalibratedBot(Duration offset, String text, double heuristicScore) {
            long botSeq = message("BOT", null, text, offset, heuristicScore);
            answer(botSeq, "DELIVERED", null, text, heuristicScore, offset, null);
            return this;
        }

        /** The assistant hands the last customer message over, with what it would have said. */
        public Builder escalate(Duration offset, String reason, String draft, double confidence) {
            return escalate(offset, reason, draft, confidence, CALIBRATED);
        }

        /** @param calibration how the assistant computed {@code confidence} (bot_answers.calibration) */
        public Builder escalate(Duration offset, String reason, String draft, double confidence, String calibration) {
            answer(null, "ESCALATED", reason, draft, confidence, offset, calibration);
            message("SYSTEM", null, "Te pasamos con una persona del equipo de soporte.", offset, null);
            jdbc.update("""
                    insert into escalation_tickets (id, conversation_id, reason, detail, bot_draft, status, created_at)
                    values (?, ?, ?, ?, ?, 'OPEN', ?)""", UUID.randomUUID(), id, reason, "fixture " + reason, draft,
                    ts(at(offset)));
            jdbc.update("update conversations set state = 'ESCALATED' where id = ?", id);
            return this;
        }

        public Builder agent(Duration offset, String agentName, String text) {
            jdbc.update("update conversations set state = 'AGENT', assigned_agent = ? where id = ?", agentName, id);
            jdbc.update("update escalation_tickets set status = 'CLAIMED', claimed_by = ?, claimed_at = ? where conversation_id = ?",
                    agentName.toLowerCase() + "@soportemax.test", ts(at(offset)), id);
            message("AGENT", agentName, text, offset, null);
            return this;
        }

        public Builder close(Duration offset) {
            jdbc.update("update conversations set state = 'CLOSED', closed_at = ?, updated_at = ? where id = ?",
                    ts(at(offset)), ts(at(offset)), id);
            return this;
        }

        public Builder rating(int score, String comment, Duration offset) {
            jdbc.update("insert into conversation_ratings values (?, ?, ?, ?, ?)", id, score, comment, ts(at(offset)),
                    ts(at(offset)));
            return this;
        }

        public Builder thumbs(long botSeq, boolean up) {
            jdbc.update("insert into answer_feedback values (?, ?, ?, null, ?, ?)", id, botSeq, up, ts(start), ts(start));
            return this;
        }

        public Builder review(String decision) {
            jdbc.update("insert into conversation_reviews values (?, ?, 'fixture@soportemax.test', ?)", id, decision, ts(start));
            return this;
        }

        public Builder label(long seq, String label, String corrected) {
            jdbc.update("insert into message_labels values (?, ?, ?, ?, 'fixture@soportemax.test', ?)",
                    messages.get(seq), id, label, corrected, ts(start));
            return this;
        }

        public long seq() {
            return seq;
        }

        private void answer(Long botSeq, String outcome, String reason, String text, double confidence, Duration offset,
                            String calibration) {
            jdbc.update("""
                    insert into bot_answers (conversation_id, customer_seq, bot_seq, mode, outcome, escalation_reason,
                        detail, answer_text, confidence, retrieval_score, mean_log_prob, min_token_prob, passages,
                        settings_version, created_at, calibration)
                    values (?, ?, ?, 'LLM', ?, ?, 'fixture', ?, ?, 0.6, -0.2, 0.3,
                        cast(? as jsonb), ?, ?, ?)""",
                    id, lastCustomerSeq, botSeq, outcome, reason, text, confidence,
                    "[{\"articleId\":null,\"externalId\":\"kb-envios-plazos\",\"title\":\"Plazos de envío\",\"score\":0.61}]",
                    settingsVersion, ts(at(offset)), calibration);
        }
    }

    private static String sha256(String token) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
