package com.soportemax.analytics.internal;

import com.soportemax.privacy.Redactor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.util.UriComponentsBuilder;

import java.sql.Timestamp;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The questions the knowledge base answers worst: escalated for lack of knowledge or low confidence, or answered
 * with a calibrated confidence under 0.5 (not a value set by rule: a request for a person, small talk), grouped by the words they share (accents and common words ignored, words compared by
 * their first six letters so "devolución" and "devoluciones" meet). Personal data is replaced before anything is
 * shown or put into an article draft.
 */
@Component
class KnowledgeGaps {

    static final int QUESTIONS = 300;
    static final int GROUPS = 12;
    private static final Set<String> STOPWORDS = Set.of(
            "para", "como", "cómo", "cuando", "donde", "dónde", "quiero", "puedo", "tengo", "tiene", "tienen", "hola",
            "gracias", "favor", "esta", "este", "esto", "estos", "estas", "pero", "porque", "sobre", "desde", "hasta",
            "cual", "cuál", "cuanto", "cuánto", "cuanta", "cuánta", "hacer", "hace", "mucho", "muy", "vuestro",
            "vuestra", "nuestro", "quisiera", "saber", "llamo", "busco", "necesito", "would", "could", "what", "when", "where", "which", "there",
            "their", "about", "have", "with", "this", "that", "your", "from", "will", "please", "hello", "thanks");

    private final JdbcClient jdbc;

    KnowledgeGaps(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Question(String text, double confidence, String answer, String locale, Set<String> terms) {
    }

    List<SupportStats.KnowledgeGap> find(Timestamp start, Timestamp end) {
        List<Question> questions = jdbc.sql("""
                        select m.text, b.confidence, c.locale,
                            (select a.text from messages a where a.conversation_id = b.conversation_id and a.author = 'AGENT'
                                and a.seq > b.customer_seq order by a.seq limit 1) as answer
                        from bot_answers b
                        join messages m on m.conversation_id = b.conversation_id and m.seq = b.customer_seq
                        join conversations c on c.id = b.conversation_id
                        where c.created_at >= :start and c.created_at < :end
                          and (b.escalation_reason in ('NO_KNOWLEDGE', 'LOW_CONFIDENCE')
                               or (b.confidence < 0.5 and b.calibration is not null and b.calibration not in
                                   ('scripted', 'explicit-signal', 'curated-similarity', 'vague', 'failure')))
                        order by b.confidence, b.created_at limit :limit""")
                .param("start", start).param("end", end).param("limit", QUESTIONS)
                .query((rs, row) -> {
                    Redactor redactor = Redactor.forConversation();
                    String answer = rs.getString("answer");
                    redactor.learnNames(answer);
                    String text = redactor.redact(rs.getString("text"));
                    return new Question(text, rs.getDouble("confidence"), answer == null ? null : redactor.redact(answer),
                            rs.getString("locale"), terms(text));
                }).list();

        List<List<Question>> groups = new ArrayList<>();
        List<Set<String>> groupTerms = new ArrayList<>();
        for (Question question : questions) {
            int best = -1;
            double bestOverlap = 0;
            for (int i = 0; i < groups.size(); i++) {
                Set<String> shared = new LinkedHashSet<>(groupTerms.get(i));
                shared.retainAll(question.terms());
                double overlap = question.terms().isEmpty() ? 0 : (double) shared.size() / question.terms().size();
                if (!shared.isEmpty() && overlap >= 0.34 && overlap > bestOverlap) {
                    best = i;
                    bestOverlap = overlap;
                }
            }
            if (best < 0) {
                groups.add(new ArrayList<>(List.of(question)));
                groupTerms.add(new LinkedHashSet<>(question.terms()));
            } else {
                groups.get(best).add(question);
                groupTerms.get(best).addAll(question.terms());
            }
        }
        return groups.stream()
                .sorted(Comparator.comparingInt((List<Question> g) -> -g.size())
                        .thenComparingDouble(g -> g.getFirst().confidence()))
                .limit(GROUPS)
                .map(KnowledgeGaps::gap)
                .toList();
    }

    private static SupportStats.KnowledgeGap gap(List<Question> group) {
        Map<String, Integer> frequency = new HashMap<>();
        group.forEach(q -> q.terms().forEach(term -> frequency.merge(term, 1, Integer::sum)));
        List<String> terms = frequency.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(3).map(Map.Entry::getKey).toList();
        Question first = group.getFirst();
        String answer = group.stream().map(Question::answer).filter(a -> a != null && !a.isBlank()).findFirst().orElse("");
        String body = group.stream().map(q -> "- " + q.text()).distinct().limit(10).collect(Collectors.joining("\n"))
                + (answer.isEmpty() ? "" : "\n\n" + answer);
        String url = UriComponentsBuilder.fromPath("/admin/knowledge/new")
                .queryParam("title", first.text().length() > 120 ? first.text().substring(0, 120) : first.text())
                .queryParam("body", body)
                .queryParam("language", first.locale())
                .encode().build().toUriString();
        return new SupportStats.KnowledgeGap(terms, group.stream().map(Question::text).distinct().limit(10).toList(),
                group.stream().mapToDouble(Question::confidence).min().orElse(0), url);
    }

    static Set<String> terms(String text) {
        // Placeholders and masked cards say nothing about the question: two questions with an e-mail in them are
        // not alike for that.
        String plain = Normalizer.normalize(text.replaceAll("<[A-Z]+_\\d+>|(?:•{4} ){3}\\d{4}", " ").toLowerCase(Locale.ROOT),
                Normalizer.Form.NFD).replaceAll("\\p{M}", "");
        Set<String> terms = new LinkedHashSet<>();
        for (String word : plain.split("[^\\p{L}\\p{N}]+")) {
            if (word.length() < 4 || STOPWORDS.contains(word)) continue;
            terms.add(word.length() > 6 ? word.substring(0, 6) : word);
        }
        return terms;
    }
}
