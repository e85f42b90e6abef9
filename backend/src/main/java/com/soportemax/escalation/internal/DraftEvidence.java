package com.soportemax.escalation.internal;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What stood behind the bot's unsent draft of an escalated conversation: the confidence the assistant gave it and
 * the knowledge-base passages it was written from (article, section heading, score), read from the assistant's
 * record of the answer ({@code bot_answers}) and the articles' passages.
 */
@Repository
public class DraftEvidence {

    /** The draft's confidence in [0, 1] and its passages, best first. */
    public record Evidence(double confidence, List<Source> sources) {
        public Evidence {
            sources = List.copyOf(sources);
        }
    }

    /**
     * A passage behind the draft.
     *
     * @param heading the section of the article the passage comes from; null when the passage has none
     */
    public record Source(UUID articleId, String externalId, String title, String heading, double score) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(\\S.*?)\\s*#*\\s*$");

    private final JdbcTemplate jdbc;

    DraftEvidence(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The evidence of the ticket's draft; empty when the ticket has no draft or the assistant kept no record. */
    @Transactional(readOnly = true)
    public Optional<Evidence> of(EscalationTicket ticket) {
        if (ticket.botDraft().isBlank()) {
            return Optional.empty();
        }
        List<Evidence> found = jdbc.query("""
                        select b.confidence, b.passages::text as passages,
                               (select m.text from messages m where m.conversation_id = b.conversation_id
                                  and m.seq = b.customer_seq) as question
                        from bot_answers b
                        where b.conversation_id = ? and b.outcome = 'ESCALATED' and b.answer_text <> ''
                          and b.created_at <= ?
                        order by (b.answer_text = ?) desc, b.customer_seq desc limit 1""",
                (rs, row) -> new Evidence(rs.getDouble("confidence"),
                        sources(rs.getString("passages"), rs.getString("question"))),
                ticket.conversationId().value(), java.sql.Timestamp.from(ticket.createdAt().plusSeconds(60)),
                ticket.botDraft());
        return found.stream().findFirst();
    }

    private List<Source> sources(String passagesJson, String question) {
        List<Source> sources = new ArrayList<>();
        for (JsonNode passage : JSON.readTree(passagesJson)) {
            String articleId = passage.path("articleId").asString(null);
            UUID article = articleId == null ? null : UUID.fromString(articleId);
            sources.add(new Source(article, passage.path("externalId").asString(null),
                    passage.path("title").asString(""), article == null ? null : heading(article, question),
                    passage.path("score").asDouble(0)));
        }
        return sources;
    }

    /**
     * The heading of the article's section that shares the most words with the customer's question (the first such
     * section on a tie); null when that section has no heading.
     */
    private String heading(UUID article, String question) {
        List<String> texts = jdbc.queryForList(
                "select text from knowledge_passages where article_id = ? order by position", String.class, article);
        Set<String> asked = words(question == null ? "" : question);
        String best = null;
        long bestShared = -1;
        for (String text : texts) {
            Set<String> own = words(text);
            long shared = asked.stream().filter(own::contains).count();
            if (shared > bestShared) {
                best = text;
                bestShared = shared;
            }
        }
        if (best == null) {
            return null;
        }
        Matcher matcher = HEADING.matcher(best);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** Words of four letters or more, lower case, without accents. */
    private static Set<String> words(String text) {
        String plain = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        Set<String> words = new HashSet<>();
        for (String word : plain.split("[^\\p{L}\\p{N}]+")) {
            if (word.length() >= 4) {
                words.add(word);
            }
        }
        return words;
    }
}
