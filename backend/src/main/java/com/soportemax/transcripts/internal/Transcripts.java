package com.soportemax.transcripts.internal;

import com.soportemax.privacy.CardMask;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/** Reading one transcript and recording the admins' review of it. */
@Service
public class Transcripts {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<Map<String, Object>> ROW = new TypeReference<>() { };

    private final JdbcClient jdbc;
    private final Clock clock;

    Transcripts(JdbcClient jdbc, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** @throws NoSuchElementException for an unknown conversation */
    @Transactional(readOnly = true)
    public TranscriptDetail detail(UUID conversationId) {
        Map<String, Object> facts = jdbc.sql("""
                        select to_jsonb(f) || jsonb_build_object('outcome', conversation_outcome(f, :now)) as facts
                        from conversation_facts f where f.conversation_id = :id""")
                .param("now", Timestamp.from(clock.instant())).param("id", conversationId)
                .query((rs, row) -> JSON.readValue(rs.getString("facts"), ROW)).optional()
                .orElseThrow(() -> new NoSuchElementException("No conversation " + conversationId));

        Map<Long, Map<String, Object>> answersByBotSeq = new HashMap<>();
        List<Map<String, Object>> drafts = new ArrayList<>();
        jdbc.sql("select to_jsonb(b)::text as answer from bot_answers b where conversation_id = :id order by customer_seq")
                .param("id", conversationId)
                .query((rs, row) -> JSON.readValue(rs.getString("answer"), ROW)).list()
                .forEach(answer -> {
                    Object botSeq = answer.get("bot_seq");
                    if ("ESCALATED".equals(answer.get("outcome"))) {
                        drafts.add(answer);
                    } else if (botSeq != null) {
                        answersByBotSeq.put(((Number) botSeq).longValue(), answer);
                    }
                });
        Map<UUID, TranscriptDetail.Label> labels = new HashMap<>();
        jdbc.sql("select message_id, label, corrected_text, labelled_by, labelled_at from message_labels where conversation_id = :id")
                .param("id", conversationId)
                .query((rs, row) -> Map.entry(rs.getObject("message_id", UUID.class), new TranscriptDetail.Label(
                        rs.getString("label"), rs.getString("corrected_text"), rs.getString("labelled_by"),
                        rs.getTimestamp("labelled_at").toInstant())))
                .list().forEach(e -> labels.put(e.getKey(), e.getValue()));
        Map<Long, TranscriptDetail.Feedback> feedback = new HashMap<>();
        jdbc.sql("select seq, helpful, reason from answer_feedback where conversation_id = :id").param("id", conversationId)
                .query((rs, row) -> Map.entry(rs.getLong("seq"), new TranscriptDetail.Feedback(rs.getBoolean("helpful"),
                        rs.getString("reason"))))
                .list().forEach(e -> feedback.put(e.getKey(), e.getValue()));

        record Sortable(double order, TranscriptDetail.Entry entry) {
        }
        List<Sortable> entries = new ArrayList<>();
        jdbc.sql("""
                        select id, seq, author, author_name, text, created_at, confidence from messages
                        where conversation_id = :id and not withdrawn order by seq""")
                .param("id", conversationId)
                .query((rs, row) -> {
                    long seq = rs.getLong("seq");
                    UUID id = rs.getObject("id", UUID.class);
                    Map<String, Object> answer = answersByBotSeq.get(seq);
                    return new Sortable(seq, new TranscriptDetail.Entry(id, seq, rs.getString("author"),
                            rs.getString("author_name"), rs.getString("text"), rs.getTimestamp("created_at").toInstant(),
                            rs.getObject("confidence", Double.class), answer, passages(answer), labels.get(id),
                            feedback.get(seq), null));
                }).list().forEach(entries::add);
        for (Map<String, Object> draft : drafts) {
            long customerSeq = ((Number) draft.get("customer_seq")).longValue();
            String text = String.valueOf(draft.getOrDefault("answer_text", ""));
            entries.add(new Sortable(customerSeq + 0.5, new TranscriptDetail.Entry(null, customerSeq, "DRAFT", null,
                    text, parseInstant(draft.get("created_at")), ((Number) draft.get("confidence")).doubleValue(), draft,
                    passages(draft), null, null, null)));
        }
        entries.sort(Comparator.comparingDouble(Sortable::order));
        // The agents' console records the draft each reply replaced; older replies are matched to the unsent draft.
        Map<UUID, String> recordedDrafts = new HashMap<>();
        jdbc.sql("select message_id, draft_text from agent_reply_drafts where conversation_id = :id")
                .param("id", conversationId)
                .query((rs, row) -> Map.entry(rs.getObject("message_id", UUID.class), rs.getString("draft_text")))
                .list().forEach(e -> recordedDrafts.put(e.getKey(), e.getValue()));
        List<TranscriptDetail.Entry> ordered = new ArrayList<>();
        String pendingDraft = null;
        for (Sortable sortable : entries) {
            TranscriptDetail.Entry entry = sortable.entry();
            String recorded = entry.messageId() == null ? null : recordedDrafts.get(entry.messageId());
            if ("DRAFT".equals(entry.author())) {
                pendingDraft = entry.text().isBlank() ? null : entry.text();
            } else if ("AGENT".equals(entry.author()) && (pendingDraft != null || recorded != null)) {
                String replaced = recorded != null ? recorded : pendingDraft;
                String draft = replaced.strip().equals(entry.text().strip()) ? null : replaced;
                entry = new TranscriptDetail.Entry(entry.messageId(), entry.seq(), entry.author(), entry.authorName(),
                        entry.text(), entry.at(), entry.confidence(), entry.answer(), entry.passages(), entry.label(),
                        entry.feedback(), draft);
                pendingDraft = null;
            }
            ordered.add(entry);
        }

        TranscriptDetail.Escalation escalation = jdbc.sql("""
                        select reason, detail, created_at, claimed_by from escalation_tickets
                        where conversation_id = :id order by created_at limit 1""")
                .param("id", conversationId)
                .query((rs, row) -> new TranscriptDetail.Escalation(rs.getString("reason"), rs.getString("detail"),
                        rs.getTimestamp("created_at").toInstant(), rs.getString("claimed_by"))).optional().orElse(null);
        List<TranscriptDetail.ReviewEvent> history = jdbc.sql("""
                        select action, message_id, label, corrected_text, reviewed_by, reviewed_at from review_events
                        where conversation_id = :id order by reviewed_at, id""")
                .param("id", conversationId)
                .query((rs, row) -> new TranscriptDetail.ReviewEvent(rs.getString("action"),
                        rs.getObject("message_id", UUID.class), rs.getString("label"), rs.getString("corrected_text"),
                        rs.getString("reviewed_by"), rs.getTimestamp("reviewed_at").toInstant())).list();
        List<TranscriptDetail.Note> notes = jdbc.sql("""
                        select coalesce(author_name, author_email, '') as author, text, created_at from desk_entries
                        where conversation_id = :id and kind = 'NOTE' order by created_at""")
                .param("id", conversationId)
                .query((rs, row) -> new TranscriptDetail.Note(rs.getString("author"), rs.getString("text"),
                        rs.getTimestamp("created_at").toInstant())).list();
        TranscriptDetail.Review review = facts.get("review") == null ? null : new TranscriptDetail.Review(
                (String) facts.get("review"), (String) facts.get("reviewed_by"), parseInstant(facts.get("reviewed_at")));
        return new TranscriptDetail(conversationId, parseInstant(facts.get("created_at")), (String) facts.get("locale"),
                (String) facts.get("state"), (String) facts.get("outcome"), (String) facts.get("assigned_agent"),
                escalation, facts.get("rating") == null ? null : ((Number) facts.get("rating")).intValue(),
                (String) facts.get("rating_comment"), review, ordered, notes, history);
    }

    /**
     * Labels a bot or agent answer; the latest label counts, every one is kept in the history.
     *
     * @param correctedText the answer it should have been; blank means none
     * @throws NoSuchElementException when the message is not a bot or agent answer
     */
    @Transactional
    public TranscriptDetail.Label label(UUID messageId, String label, String correctedText, String reviewer) {
        UUID conversationId = jdbc.sql("select conversation_id from messages where id = :id and author in ('BOT', 'AGENT')")
                .param("id", messageId).query(UUID.class).optional()
                .orElseThrow(() -> new NoSuchElementException("No bot or agent answer " + messageId));
        String correction = correctedText == null || correctedText.isBlank() ? null : CardMask.mask(correctedText.strip());
        Instant now = now();
        jdbc.sql("""
                        insert into message_labels (message_id, conversation_id, label, corrected_text, labelled_by, labelled_at)
                        values (:message, :conversation, :label, :corrected, :by, :at)
                        on conflict (message_id) do update set label = excluded.label,
                            corrected_text = excluded.corrected_text, labelled_by = excluded.labelled_by,
                            labelled_at = excluded.labelled_at""")
                .param("message", messageId).param("conversation", conversationId).param("label", label)
                .param("corrected", correction).param("by", reviewer).param("at", Timestamp.from(now)).update();
        event(conversationId, messageId, "LABEL", label, correction, reviewer, now);
        return new TranscriptDetail.Label(label, correction, reviewer, now);
    }

    /** Approves (or rejects) the whole conversation for training datasets; deciding again replaces the decision. */
    @Transactional
    public TranscriptDetail.Review decide(UUID conversationId, boolean approve, String reviewer) {
        if (jdbc.sql("select count(*) from conversations where id = :id").param("id", conversationId)
                .query(Long.class).single() == 0) {
            throw new NoSuchElementException("No conversation " + conversationId);
        }
        String decision = approve ? "APPROVED" : "REJECTED";
        Instant now = now();
        jdbc.sql("""
                        insert into conversation_reviews (conversation_id, decision, reviewed_by, reviewed_at)
                        values (:id, :decision, :by, :at)
                        on conflict (conversation_id) do update set decision = excluded.decision,
                            reviewed_by = excluded.reviewed_by, reviewed_at = excluded.reviewed_at""")
                .param("id", conversationId).param("decision", decision).param("by", reviewer)
                .param("at", Timestamp.from(now)).update();
        event(conversationId, null, approve ? "APPROVE" : "REJECT", null, null, reviewer, now);
        return new TranscriptDetail.Review(decision, reviewer, now);
    }

    /**
     * The conversation to review after {@code after}: the next one, in the order they started, that has an answer
     * (the assistant's or an agent's) and no approve/reject decision yet; from the first when {@code after} is null.
     */
    public Optional<UUID> nextPending(UUID after) {
        return jdbc.sql("""
                        select c.id from conversations c
                        where not exists (select 1 from conversation_reviews r where r.conversation_id = c.id)
                          and exists (select 1 from messages m where m.conversation_id = c.id and m.author in ('BOT', 'AGENT'))
                          and (cast(:after as uuid) is null
                               or (c.created_at, c.id) > (select a.created_at, a.id from conversations a where a.id = :after))
                        order by c.created_at, c.id limit 1""")
                .param("after", after).query(UUID.class).optional();
    }

    private void event(UUID conversationId, UUID messageId, String action, String label, String corrected,
                       String reviewer, Instant at) {
        jdbc.sql("""
                        insert into review_events (conversation_id, message_id, action, label, corrected_text, reviewed_by, reviewed_at)
                        values (:conversation, :message, :action, :label, :corrected, :by, :at)""")
                .param("conversation", conversationId).param("message", messageId).param("action", action)
                .param("label", label).param("corrected", corrected).param("by", reviewer)
                .param("at", Timestamp.from(at)).update();
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private static List<TranscriptDetail.PassageLink> passages(Map<String, Object> answer) {
        if (answer == null || !(answer.get("passages") instanceof List<?> list)) return List.of();
        List<TranscriptDetail.PassageLink> links = new ArrayList<>();
        for (Object item : list) {
            if (item instanceof Map<?, ?> passage) {
                Object articleId = passage.get("articleId");
                links.add(new TranscriptDetail.PassageLink(articleId == null ? null : UUID.fromString(articleId.toString()),
                        Optional.ofNullable(passage.get("externalId")).map(Object::toString).orElse(null),
                        Optional.ofNullable(passage.get("title")).map(Object::toString).orElse(""),
                        passage.get("score") instanceof Number n ? n.doubleValue() : null));
            }
        }
        return links;
    }

    private static Instant parseInstant(Object value) {
        if (value == null) return null;
        return java.time.OffsetDateTime.parse(value.toString()).toInstant();
    }
}
