package com.soportemax.assistant.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/** The {@code bot_answers} table: one row per customer message the assistant handled. */
@Repository
class BotAnswerLog {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<List<PassageUsed>> PASSAGES = new TypeReference<>() { };

    private final JdbcClient jdbc;

    BotAnswerLog(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    boolean handled(ConversationId conversation, long customerSeq) {
        return jdbc.sql("select count(*) from bot_answers where conversation_id = :id and customer_seq = :seq")
                .param("id", conversation.value()).param("seq", customerSeq)
                .query(Long.class).single() > 0;
    }

    /** Stores the decision; false when the message was already handled (it is stored once). */
    boolean record(BotAnswerRecord answer) {
        var stats = answer.generation();
        ConfidenceScore score = answer.confidence();
        return jdbc.sql("""
                        insert into bot_answers (conversation_id, customer_seq, bot_seq, mode, outcome, escalation_reason,
                            detail, answer_text, confidence, retrieval_score, mean_log_prob, min_token_prob,
                            explicit_signal, passages, settings_version, model_name, prompt_tokens, completion_tokens,
                            prefill_millis, decode_millis, tokens_per_second, retrieval_margin, retrieval_coverage,
                            topic_words, grounding, calibration)
                        values (:id, :customerSeq, :botSeq, :mode, :outcome, :reason, :detail, :text, :confidence,
                            :retrieval, :meanLogProb, :minTokenProb, :signal, cast(:passages as jsonb), :version,
                            :model, :promptTokens, :completionTokens, :prefill, :decode, :tps, :margin, :coverage,
                            :topicWords, :grounding, :calibration)
                        on conflict (conversation_id, customer_seq) do nothing
                        """)
                .param("id", answer.conversationId().value())
                .param("customerSeq", answer.customerSeq())
                .param("botSeq", answer.botSeq().orElse(null))
                .param("mode", answer.mode().name())
                .param("outcome", answer.outcome().name())
                .param("reason", answer.escalationReason().map(Enum::name).orElse(null))
                .param("detail", answer.detail())
                .param("text", answer.answerText())
                .param("confidence", score.value())
                .param("retrieval", score.retrieval())
                .param("meanLogProb", score.meanLogProb().orElse(null))
                .param("minTokenProb", score.minTokenProb().orElse(null))
                .param("signal", score.signal().map(Enum::name).orElse(null))
                .param("passages", JSON.writeValueAsString(answer.passages()))
                .param("version", answer.settingsVersion())
                .param("model", answer.modelName().orElse(null))
                .param("promptTokens", stats.map(BotAnswerRecord.GenerationStats::promptTokens).orElse(null))
                .param("completionTokens", stats.map(BotAnswerRecord.GenerationStats::completionTokens).orElse(null))
                .param("prefill", stats.map(BotAnswerRecord.GenerationStats::prefillMillis).orElse(null))
                .param("decode", stats.map(BotAnswerRecord.GenerationStats::decodeMillis).orElse(null))
                .param("tps", stats.map(BotAnswerRecord.GenerationStats::tokensPerSecond).orElse(null))
                .param("margin", score.margin())
                .param("coverage", score.coverage())
                .param("topicWords", score.topicWords())
                .param("grounding", score.grounding().orElse(null))
                .param("calibration", score.calibration())
                .update() > 0;
    }

    Optional<BotAnswerRecord> find(ConversationId conversation, long customerSeq) {
        return jdbc.sql("select * from bot_answers where conversation_id = :id and customer_seq = :seq")
                .param("id", conversation.value()).param("seq", customerSeq)
                .query(BotAnswerLog::map).optional();
    }

    /** What the assistant already did in this conversation, before message {@code customerSeq}. */
    AnswerInputs.Memory memory(ConversationId conversation, long customerSeq) {
        Optional<String> last = jdbc.sql("""
                        select outcome from bot_answers where conversation_id = :id and customer_seq < :seq
                        order by customer_seq desc limit 1""")
                .param("id", conversation.value()).param("seq", customerSeq).query(String.class).optional();
        return new AnswerInputs.Memory(last.filter("CLARIFIED"::equals).isPresent());
    }

    /** Mean decode speed of the last {@code generations} answers the model wrote, if any. */
    OptionalDouble recentTokensPerSecond(int generations) {
        return jdbc.sql("""
                        select count(*) as n, avg(tokens_per_second) as mean from (select tokens_per_second
                            from bot_answers where tokens_per_second is not null order by created_at desc limit :n) recent
                        """)
                .param("n", generations)
                .query((rs, row) -> rs.getLong("n") == 0 ? OptionalDouble.empty() : OptionalDouble.of(rs.getDouble("mean")))
                .single();
    }

    private static BotAnswerRecord map(ResultSet rs, int row) throws SQLException {
        Optional<Double> mean = Optional.ofNullable(rs.getObject("mean_log_prob", Double.class));
        Optional<Double> lowest = Optional.ofNullable(rs.getObject("min_token_prob", Double.class));
        Optional<ExplicitSignal> signal = Optional.ofNullable(rs.getString("explicit_signal")).map(ExplicitSignal::valueOf);
        ConfidenceScore score = new ConfidenceScore(rs.getDouble("retrieval_score"), rs.getDouble("retrieval_margin"),
                rs.getDouble("retrieval_coverage"), rs.getInt("topic_words"), mean, lowest,
                Optional.ofNullable(rs.getObject("grounding", Double.class)), signal, rs.getDouble("confidence"),
                Optional.ofNullable(rs.getString("calibration")).orElse("legacy"));
        Integer promptTokens = rs.getObject("prompt_tokens", Integer.class);
        Optional<BotAnswerRecord.GenerationStats> stats = promptTokens == null ? Optional.empty()
                : Optional.of(new BotAnswerRecord.GenerationStats(promptTokens, rs.getInt("completion_tokens"),
                rs.getLong("prefill_millis"), rs.getLong("decode_millis"), rs.getDouble("tokens_per_second")));
        return new BotAnswerRecord(new ConversationId(rs.getObject("conversation_id", java.util.UUID.class)),
                rs.getLong("customer_seq"), Optional.ofNullable(rs.getObject("bot_seq", Long.class)),
                BotAnswerRecord.Mode.valueOf(rs.getString("mode")),
                BotAnswerRecord.Outcome.valueOf(rs.getString("outcome")),
                Optional.ofNullable(rs.getString("escalation_reason")).map(EscalationReason::valueOf),
                rs.getString("detail"), rs.getString("answer_text"), score,
                JSON.readValue(rs.getString("passages"), PASSAGES), rs.getInt("settings_version"),
                Optional.ofNullable(rs.getString("model_name")), stats);
    }
}
