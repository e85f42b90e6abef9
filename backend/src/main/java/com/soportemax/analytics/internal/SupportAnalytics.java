package com.soportemax.analytics.internal;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/** Computes the dashboard from the {@code conversation_facts} view, outcomes as of the clock's now. */
@Service
public class SupportAnalytics {

    static final List<String> OUTCOMES = List.of("RESOLVED_BY_BOT", "ASSISTED", "ESCALATED_UNANSWERED", "ABANDONED",
            "IN_PROGRESS");

    private final JdbcClient jdbc;
    private final Clock clock;
    private final KnowledgeGaps gaps;

    SupportAnalytics(JdbcClient jdbc, ObjectProvider<Clock> clock, KnowledgeGaps gaps) {
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.gaps = gaps;
    }

    /** Facts of one conversation as the statistics use them. */
    record Row(LocalDate day, String outcome, boolean escalated, String reason, boolean reopened,
               Double secondsToFirstBot, Double secondsToFirstHuman, Integer rating, long agentMessages,
               long botMessages, long thumbsUp, long thumbsDown) {
    }

    /** @param from first day; null: 30 days before today; @param to last day included; null: today */
    @Transactional(readOnly = true)
    public SupportStats stats(LocalDate from, LocalDate to) {
        LocalDate last = to != null ? to : LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        LocalDate first = from != null ? from : last.minusDays(29);
        if (last.isBefore(first)) throw new IllegalArgumentException("to must not be before from");
        Timestamp start = Timestamp.from(first.atStartOfDay(ZoneOffset.UTC).toInstant());
        Timestamp end = Timestamp.from(last.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
        List<Row> rows = jdbc.sql("""
                        select (f.created_at at time zone 'UTC')::date as day, conversation_outcome(f, :now) as outcome,
                            f.escalated, f.escalation_reason, f.reopened,
                            extract(epoch from f.first_bot_at - f.first_customer_at) as first_bot,
                            extract(epoch from f.first_agent_at - f.escalated_at) as first_human,
                            f.rating, f.agent_messages, f.bot_messages, f.thumbs_up, f.thumbs_down
                        from conversation_facts f where f.created_at >= :start and f.created_at < :end""")
                .param("now", Timestamp.from(clock.instant())).param("start", start).param("end", end)
                .query((rs, n) -> new Row(rs.getObject("day", LocalDate.class), rs.getString("outcome"),
                        rs.getBoolean("escalated"), rs.getString("escalation_reason"), rs.getBoolean("reopened"),
                        rs.getObject("first_bot") == null ? null : rs.getDouble("first_bot"),
                        rs.getObject("first_human") == null ? null : rs.getDouble("first_human"),
                        rs.getObject("rating", Integer.class), rs.getLong("agent_messages"), rs.getLong("bot_messages"),
                        rs.getLong("thumbs_up"), rs.getLong("thumbs_down")))
                .list();

        Map<String, Long> outcomes = new LinkedHashMap<>();
        OUTCOMES.forEach(outcome -> outcomes.put(outcome, 0L));
        rows.forEach(row -> outcomes.merge(row.outcome(), 1L, Long::sum));
        Map<LocalDate, List<Row>> byDay = new TreeMap<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) byDay.put(day, new ArrayList<>());
        rows.forEach(row -> byDay.computeIfAbsent(row.day(), d -> new ArrayList<>()).add(row));
        List<SupportStats.Day> days = byDay.entrySet().stream().map(e -> day(e.getKey(), e.getValue())).toList();

        long resolved = count(rows, r -> r.outcome().equals("RESOLVED_BY_BOT") || r.outcome().equals("ASSISTED"));
        long durable = count(rows, r -> (r.outcome().equals("RESOLVED_BY_BOT") || r.outcome().equals("ASSISTED")) && !r.reopened());
        long answers = rows.stream().mapToLong(Row::botMessages).sum();
        long up = rows.stream().mapToLong(Row::thumbsUp).sum();
        long down = rows.stream().mapToLong(Row::thumbsDown).sum();
        SupportStats.Totals totals = new SupportStats.Totals(rows.size(),
                share(count(rows, r -> r.outcome().equals("RESOLVED_BY_BOT")), rows.size()),
                share(count(rows, Row::escalated), rows.size()),
                share(durable, resolved),
                median(rows, Row::secondsToFirstBot), median(rows, Row::secondsToFirstHuman),
                meanRating(rows, r -> r.agentMessages() == 0), meanRating(rows, r -> r.agentMessages() > 0),
                answers, up, down, share(up + down, answers));
        return new SupportStats(first, last, totals, outcomes, reasons(rows), days,
                gaps.find(start, end));
    }

    private static SupportStats.Day day(LocalDate day, List<Row> rows) {
        long resolvedByBot = count(rows, r -> r.outcome().equals("RESOLVED_BY_BOT"));
        long escalated = count(rows, Row::escalated);
        return new SupportStats.Day(day, rows.size(), resolvedByBot, escalated, share(resolvedByBot, rows.size()),
                share(escalated, rows.size()), reasons(rows), median(rows, Row::secondsToFirstBot),
                median(rows, Row::secondsToFirstHuman), meanRating(rows, r -> r.agentMessages() == 0),
                meanRating(rows, r -> r.agentMessages() > 0), rows.stream().mapToLong(Row::botMessages).sum(),
                rows.stream().mapToLong(Row::thumbsUp).sum(), rows.stream().mapToLong(Row::thumbsDown).sum());
    }

    private static Map<String, Long> reasons(Collection<Row> rows) {
        Map<String, Long> reasons = new TreeMap<>();
        rows.stream().filter(Row::escalated).forEach(r -> reasons.merge(r.reason(), 1L, Long::sum));
        return reasons;
    }

    private static long count(Collection<Row> rows, Predicate<Row> test) {
        return rows.stream().filter(test).count();
    }

    private static Double share(long part, long whole) {
        return whole == 0 ? null : (double) part / whole;
    }

    private static Double median(Collection<Row> rows, java.util.function.Function<Row, Double> value) {
        double[] values = rows.stream().map(value).filter(v -> v != null).mapToDouble(Double::doubleValue).sorted().toArray();
        if (values.length == 0) return null;
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    private static Double meanRating(Collection<Row> rows, Predicate<Row> which) {
        ToDoubleFunction<Row> rating = r -> r.rating();
        var stats = rows.stream().filter(which).filter(r -> r.rating() != null).mapToDouble(rating).summaryStatistics();
        return stats.getCount() == 0 ? null : stats.getAverage();
    }
}
