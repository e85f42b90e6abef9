package com.soportemax.dataset.internal;

import com.soportemax.dataset.internal.ConversationTurns.Author;
import com.soportemax.dataset.internal.ConversationTurns.Turn;
import com.soportemax.privacy.NameLexicon;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Exports reviewed conversations as training data. The rows are read through a server-side cursor (fetch size) in
 * conversation order and each conversation is written as soon as it is complete, so memory does not grow with the
 * export (only the de-duplication keeps 8 bytes per line).
 */
@Service
public class DatasetExports {

    private static final Logger log = LoggerFactory.getLogger(DatasetExports.class);
    private static final int FETCH_SIZE = 10_000;
    private static final TypeReference<Map<String, Object>> FILTERS = new TypeReference<>() { };

    // Messages and the drafts the assistant did not send, one row each, in the order they happened. Joined as sets
    // (hash joins, one sort) rather than conversation by conversation: several times faster for large exports.
    private static final String ROWS = """
            with selected as (
                select c.id, c.locale, r.score
                from conversations c
                left join conversation_reviews v on v.conversation_id = c.id
                left join conversation_ratings r on r.conversation_id = c.id
                where c.created_at >= ? and c.created_at < ?
                  and (v.decision = 'APPROVED' or (not ? and v.decision is null)))
            select s.id, s.locale, s.score, m.seq, 0 as kind, m.author, m.text, b.settings_version,
                   b.passages::text as passages, l.label, l.corrected_text, f.helpful, d.draft_text as replaced_draft,
                   case when m.author = 'AGENT' then m.author_name end as author_name
            from selected s
            join messages m on m.conversation_id = s.id
            left join agent_reply_drafts d on d.message_id = m.id
            left join bot_answers b on b.conversation_id = m.conversation_id and b.bot_seq = m.seq and m.author = 'BOT'
            left join message_labels l on l.message_id = m.id
            left join answer_feedback f on f.conversation_id = m.conversation_id and f.seq = m.seq
            where m.author <> 'SYSTEM' and m.complete and not m.withdrawn
            union all
            select s.id, s.locale, s.score, b.customer_seq, 1, 'DRAFT', b.answer_text, b.settings_version,
                   b.passages::text, null, null, null, null, null
            from selected s join bot_answers b on b.conversation_id = s.id
            where b.outcome = 'ESCALATED' and b.answer_text <> ''
            order by 1, 4, 5""";

    private final JdbcTemplate jdbcTemplate;
    private final JdbcClient jdbc;
    private final TransactionTemplate readOnly;
    private final JsonMapper json;
    private final Clock clock;
    private final NameLexicon names;

    DatasetExports(JdbcTemplate jdbcTemplate, JdbcClient jdbc, PlatformTransactionManager transactions,
                   ObjectProvider<Clock> clock, NameLexicon names) {
        this.names = names;
        this.jdbcTemplate = jdbcTemplate;
        this.jdbc = jdbc;
        this.readOnly = new TransactionTemplate(transactions);
        this.readOnly.setReadOnly(true);
        this.json = JsonMapper.builder().build();
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Writes the export to {@code out} (not closed) and records it; returns the record with the count and SHA-256. */
    public ExportRecord export(ExportRequest request, OutputStream out, String exportedBy) {
        UUID id = UUID.randomUUID();
        Instant started = now();
        jdbc.sql("""
                        insert into dataset_exports (id, format, filters, exported_by, started_at, status)
                        values (:id, :format, cast(:filters as jsonb), :by, :at, 'RUNNING')""")
                .param("id", id).param("format", request.format().id())
                .param("filters", json.writeValueAsString(request.filters())).param("by", exportedBy)
                .param("at", Timestamp.from(started)).update();
        Writer writer = new Writer(request, out);
        try {
            readOnly.executeWithoutResult(status -> stream(request, writer));
            writer.flush();
        } catch (RuntimeException e) {
            writer.flushQuietly();
            jdbc.sql("update dataset_exports set status = 'FAILED', finished_at = :at, lines = :lines where id = :id")
                    .param("at", Timestamp.from(now())).param("lines", writer.lines).param("id", id).update();
            throw e;
        }
        String sha = HexFormat.of().formatHex(writer.digest.digest());
        Instant finished = now();
        jdbc.sql("update dataset_exports set status = 'DONE', finished_at = :at, lines = :lines, sha256 = :sha where id = :id")
                .param("at", Timestamp.from(finished)).param("lines", writer.lines).param("sha", sha).param("id", id).update();
        log.info("Dataset export {} ({}) by {}: {} lines from {} conversations, SHA-256 {}", id, request.format().id(),
                exportedBy, writer.lines, writer.conversations, sha);
        return new ExportRecord(id, request.format().id(), request.filters(), exportedBy, started, finished,
                writer.lines, sha, "DONE");
    }

    /** The most recent exports, newest first. */
    public List<ExportRecord> recent(int limit) {
        return jdbc.sql("""
                        select id, format, filters::text as filters, exported_by, started_at, finished_at, lines, sha256, status
                        from dataset_exports order by started_at desc, number desc limit :limit""")
                .param("limit", limit)
                .query((rs, row) -> new ExportRecord(rs.getObject("id", UUID.class), rs.getString("format"),
                        json.readValue(rs.getString("filters"), FILTERS), rs.getString("exported_by"),
                        rs.getTimestamp("started_at").toInstant(),
                        rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant(),
                        rs.getObject("lines", Long.class), rs.getString("sha256"), rs.getString("status")))
                .list();
    }

    private void stream(ExportRequest request, Writer writer) {
        Instant from = request.from() == null ? Instant.EPOCH : request.from().atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = request.to() == null ? Instant.parse("9999-01-01T00:00:00Z")
                : request.to().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        // The export reads every row: plan for all of them (not the first tenth, a cursor's default), sort in memory.
        jdbc.sql("set local cursor_tuple_fraction = 1.0").update();
        jdbc.sql("set local work_mem = '256MB'").update();
        TrainingExamples examples = new TrainingExamples(new SystemPrompts(jdbc, json), names);
        ConversationTurns[] current = {null};
        RowCallbackHandler rows = rs -> {
            UUID conversation = rs.getObject("id", UUID.class);
            if (current[0] == null || !current[0].id.equals(conversation)) {
                if (current[0] != null) writer.conversation(examples, current[0]);
                current[0] = new ConversationTurns(conversation, rs.getString("locale"), rs.getObject("score", Integer.class));
            }
            current[0].turns.add(turn(rs));
        };
        jdbcTemplate.query(connection -> {
            PreparedStatement statement = connection.prepareStatement(ROWS, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY);
            statement.setFetchSize(FETCH_SIZE);
            statement.setTimestamp(1, Timestamp.from(from));
            statement.setTimestamp(2, Timestamp.from(to));
            statement.setBoolean(3, request.approvedOnly());
            return statement;
        }, rows);
        if (current[0] != null) writer.conversation(examples, current[0]);
    }

    private static Turn turn(ResultSet rs) throws SQLException {
        return new Turn(Author.valueOf(rs.getString("author")), rs.getString("text"),
                rs.getObject("settings_version", Integer.class), rs.getString("passages"), rs.getString("label"),
                rs.getString("corrected_text"), rs.getObject("helpful", Boolean.class), rs.getString("replaced_draft"),
                rs.getString("author_name"));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** Writes lines, counting them and hashing every byte, leaving out repeated prompts. */
    private final class Writer {
        private final ExportRequest request;
        private final OutputStream out;
        private final MessageDigest digest = sha256();
        private final MessageDigest promptDigest = sha256();
        private final Set<Long> prompts = new HashSet<>();
        long lines;
        long conversations;

        Writer(ExportRequest request, OutputStream out) {
            this.request = request;
            // Lines are small: buffer them so the client's stream sees large writes, not two per line.
            this.out = new BufferedOutputStream(out, 1 << 16);
        }

        void conversation(TrainingExamples examples, ConversationTurns conversation) {
            conversations++;
            examples.write(request.format(), conversation, line -> {
                if (request.deduplicate() || request.part() != ExportRequest.Part.ALL) {
                    long key = key(line.prompt());
                    if (!inPart(key)) return;
                    if (request.deduplicate() && !prompts.add(key)) return;
                }
                byte[] bytes = json.writeValueAsBytes(line.json());
                try {
                    out.write(bytes);
                    out.write('\n');
                } catch (IOException e) {
                    throw new UncheckedIOException("The client stopped reading the export", e);
                }
                digest.update(bytes);
                digest.update((byte) '\n');
                lines++;
            });
        }

        private boolean inPart(long promptKey) {
            if (request.part() == ExportRequest.Part.ALL) return true;
            // A fixed function of the prompt: a line is always in the same part whatever else is exported, and
            // identical prompts never straddle training and validation.
            double position = (promptKey >>> 11) / (double) (1L << 53);
            boolean validation = position < request.validationShare();
            return validation == (request.part() == ExportRequest.Part.VALIDATION);
        }

        private long key(Object prompt) {
            byte[] hash = promptDigest.digest(json.writeValueAsBytes(prompt));
            long key = 0;
            for (int i = 0; i < 8; i++) key = (key << 8) | (hash[i] & 0xff);
            return key;
        }

        void flushQuietly() {
            try {
                out.flush();
            } catch (IOException ignored) {
                // the export failed already; that failure is the one reported
            }
        }

        void flush() {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
