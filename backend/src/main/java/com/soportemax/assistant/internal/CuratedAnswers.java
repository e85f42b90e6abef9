package com.soportemax.assistant.internal;

import com.soportemax.chat.SourceRef;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Answers admins pinned to a family of questions. A message is compared with each answer's question and examples
 * by trigram similarity (the share of three-letter sequences two texts share, as PostgreSQL's pg_trgm counts it) on
 * the texts as {@link CustomerText} reads them, so accents, case and chat spellings do not matter.
 */
@Repository
public class CuratedAnswers {

    /** A curated answer. {@code source} is what the customer sees under it. */
    public record CuratedAnswer(UUID id, String question, List<String> examples, String answer, SourceRef source,
                                String createdBy, Instant updatedAt) {
        public CuratedAnswer {
            examples = List.copyOf(examples);
        }
    }

    /** The best curated answer for a message and how well it matched (0..1). */
    public record Match(CuratedAnswer answer, double similarity, String matchedText) {
    }

    /** What an admin submits. */
    public record Draft(String question, List<String> examples, String answer, String sourceId, String sourceTitle) {
    }

    private final JdbcClient jdbc;

    CuratedAnswers(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public List<CuratedAnswer> all() {
        return jdbc.sql("select * from curated_answers order by updated_at desc").query(CuratedAnswers::map).list();
    }

    public CuratedAnswer create(Draft draft, String createdBy) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                        insert into curated_answers (id, question, examples, answer, source_id, source_title, created_by)
                        values (:id, :question, :examples, :answer, :sourceId, :sourceTitle, :createdBy)""")
                .param("id", id).param("question", draft.question().strip())
                .param("examples", draft.examples().stream().map(String::strip).filter(e -> !e.isEmpty())
                        .toArray(String[]::new))
                .param("answer", draft.answer().strip()).param("sourceId", blankToNull(draft.sourceId()))
                .param("sourceTitle", draft.sourceTitle() == null || draft.sourceTitle().isBlank()
                        ? "Respuesta verificada por el equipo" : draft.sourceTitle().strip())
                .param("createdBy", createdBy).update();
        return find(id).orElseThrow();
    }

    public void delete(UUID id) {
        if (jdbc.sql("delete from curated_answers where id = :id").param("id", id).update() == 0) {
            throw new NoSuchElementException("No curated answer " + id);
        }
    }

    Optional<CuratedAnswer> find(UUID id) {
        return jdbc.sql("select * from curated_answers where id = :id").param("id", id).query(CuratedAnswers::map)
                .optional();
    }

    /** The curated answer whose question or examples resemble the message most, if there is any curated answer. */
    Optional<Match> bestMatch(String message) {
        Set<String> trigrams = trigrams(message);
        Match best = null;
        for (CuratedAnswer answer : all()) {
            List<String> texts = new ArrayList<>(answer.examples());
            texts.addFirst(answer.question());
            for (String text : texts) {
                double similarity = similarity(trigrams, trigrams(text));
                if (best == null || similarity > best.similarity()) best = new Match(answer, similarity, text);
            }
        }
        return Optional.ofNullable(best);
    }

    /** pg_trgm's similarity: shared trigrams over all distinct trigrams of both, words padded with spaces. */
    static double similarity(Set<String> a, Set<String> b) {
        if (a.isEmpty() || b.isEmpty()) return 0;
        Set<String> shared = new HashSet<>(a);
        shared.retainAll(b);
        return (double) shared.size() / (a.size() + b.size() - shared.size());
    }

    static Set<String> trigrams(String text) {
        Set<String> out = new HashSet<>();
        for (String word : CustomerText.of(text).words()) {
            String padded = "  " + word + " ";
            for (int i = 0; i + 3 <= padded.length(); i++) out.add(padded.substring(i, i + 3));
        }
        return out;
    }

    private static CuratedAnswer map(ResultSet rs, int row) throws SQLException {
        Array examples = rs.getArray("examples");
        return new CuratedAnswer(rs.getObject("id", UUID.class), rs.getString("question"),
                examples == null ? List.of() : Arrays.asList((String[]) examples.getArray()), rs.getString("answer"),
                new SourceRef(rs.getString("source_id"), rs.getString("source_title")), rs.getString("created_by"),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
