package com.soportemax.transcripts.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The transcript list: conversations filtered, searched and sorted, read from the {@code conversation_facts} view
 * (migration V40), whose outcome is computed as of the clock's now.
 */
@Repository
public class TranscriptSearch {

    private static final Map<String, String> SORT_COLUMNS = Map.of(
            "createdAt", "f.created_at", "lastMessageAt", "f.last_message_at",
            "confidence", "f.min_confidence", "rating", "f.rating");

    private final JdbcClient jdbc;
    private final Clock clock;

    TranscriptSearch(JdbcClient jdbc, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Transactional(readOnly = true)
    public TranscriptPage search(TranscriptFilter filter) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("now", Timestamp.from(clock.instant()));
        List<String> where = new ArrayList<>();
        if (filter.q() != null && !filter.q().isBlank()) {
            where.add("exists (select 1 from messages m where m.conversation_id = f.conversation_id and not m.withdrawn"
                    + " and to_tsvector('spanish_unaccent'::regconfig, m.text) @@ websearch_to_tsquery('spanish_unaccent'::regconfig, :q))");
            params.put("q", filter.q().strip());
        }
        if (filter.from() != null) {
            where.add("f.created_at >= :from");
            params.put("from", Timestamp.from(filter.from().atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (filter.to() != null) {
            where.add("f.created_at < :to");
            params.put("to", Timestamp.from(filter.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
        }
        if (filter.outcome() != null && !filter.outcome().isBlank()) {
            where.add("conversation_outcome(f, :now) = :outcome");
            params.put("outcome", filter.outcome());
        }
        if (filter.escalated() != null) {
            where.add(filter.escalated() ? "f.escalated" : "not f.escalated");
        }
        if (filter.reason() != null && !filter.reason().isBlank()) {
            where.add("f.escalation_reason = :reason");
            params.put("reason", filter.reason());
        }
        if (filter.minConfidence() != null) {
            where.add("f.min_confidence >= :minConfidence");
            params.put("minConfidence", filter.minConfidence());
        }
        if (filter.maxConfidence() != null) {
            where.add("f.min_confidence <= :maxConfidence");
            params.put("maxConfidence", filter.maxConfidence());
        }
        if (filter.rating() != null) {
            where.add("f.rating = :rating");
            params.put("rating", filter.rating());
        }
        if ("none".equals(filter.label())) {
            where.add("not exists (select 1 from message_labels l where l.conversation_id = f.conversation_id)");
        } else if (filter.label() != null && !filter.label().isBlank()) {
            where.add("exists (select 1 from message_labels l where l.conversation_id = f.conversation_id and l.label = :label)");
            params.put("label", filter.label());
        }
        if (filter.agent() != null && !filter.agent().isBlank()) {
            where.add("(f.assigned_agent ilike :agent or exists (select 1 from escalation_tickets e"
                    + " where e.conversation_id = f.conversation_id and e.claimed_by ilike :agent))");
            params.put("agent", "%" + filter.agent().strip() + "%");
        }
        if (filter.language() != null && !filter.language().isBlank()) {
            where.add("f.locale = :language");
            params.put("language", filter.language());
        }
        if ("PENDING".equals(filter.review())) {
            where.add("f.review is null");
        } else if (filter.review() != null && !filter.review().isBlank()) {
            where.add("f.review = :review");
            params.put("review", filter.review());
        }
        String condition = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        long total = jdbc.sql("select count(*) from conversation_facts f" + condition).params(params)
                .query(Long.class).single();
        String order = SORT_COLUMNS.get(filter.sortOrDefault()) + " " + filter.directionOrDefault()
                + " nulls last, f.conversation_id";
        params.put("limit", filter.sizeOrDefault());
        params.put("offset", (long) filter.pageOrFirst() * filter.sizeOrDefault());
        List<TranscriptSummary> items = jdbc.sql("""
                        select f.*, conversation_outcome(f, :now) as outcome,
                            (select count(*) from message_labels l where l.conversation_id = f.conversation_id) as labels,
                            (select m.text from messages m where m.conversation_id = f.conversation_id
                                and m.author = 'CUSTOMER' order by m.seq limit 1) as first_question
                        from conversation_facts f""" + condition + " order by " + order + " limit :limit offset :offset")
                .params(params)
                .query(TranscriptSearch::summary).list();
        return new TranscriptPage(items, total, filter.pageOrFirst(), filter.sizeOrDefault());
    }

    private static TranscriptSummary summary(ResultSet rs, int row) throws SQLException {
        return new TranscriptSummary(rs.getObject("conversation_id", UUID.class), instant(rs, "created_at"),
                instant(rs, "last_message_at"), rs.getString("locale"), rs.getString("state"), rs.getString("outcome"),
                rs.getBoolean("escalated"), rs.getString("escalation_reason"), rs.getObject("min_confidence", Double.class),
                rs.getObject("rating", Integer.class), rs.getString("assigned_agent"), rs.getString("review"),
                rs.getLong("customer_messages") + rs.getLong("bot_messages") + rs.getLong("agent_messages"),
                rs.getLong("labels"), rs.getString("first_question"));
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp timestamp = rs.getTimestamp(column);
        return timestamp == null ? null : timestamp.toInstant();
    }
}
