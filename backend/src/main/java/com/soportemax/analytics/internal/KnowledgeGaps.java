package com.soportemax.analytics.internal;

import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.privacy.NameLexicon;
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
 * with a calibrated confidence under 0.5 (not a value set by rule: a request for a person, small talk), grouped by
 * meaning when the knowledge base has its embedding model loaded (cosine of the question vectors, so "How much is
 * delivery to the islands?" meets "What does shipping to Mallorca cost?"), otherwise by the words they share (accents
 * and common words ignored, words compared by their first six letters so "devolución" and "devoluciones" meet).
 * Personal data is replaced before anything is shown, embedded or put into an article draft.
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

    private static final int CACHED_VECTORS = 2_000;
    /**
     * How long one dashboard request embeds questions. A large model (Qwen3-Embedding) takes a tenth of a second
     * or more per question here: past the budget the request groups by terms, and the vectors made so far are kept
     * for the next request, so the dashboard never waits long and soon groups by meaning.
     */
    static final long EMBEDDING_BUDGET_NANOS = 2_000_000_000L;
    private static final int EMBEDDING_CHUNK = 16;

    private final JdbcClient jdbc;
    private final KnowledgeBase knowledge;
    // Question texts (already redacted) -> their vectors: the dashboard asks again for mostly the same questions.
    private final Map<String, float[]> vectors = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(256, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                    return size() > CACHED_VECTORS;
                }
            });

    private final NameLexicon names;
    private final AnalyticsSettings settings;

    KnowledgeGaps(JdbcClient jdbc, KnowledgeBase knowledge, NameLexicon names, AnalyticsSettings settings) {
        this.jdbc = jdbc;
        this.knowledge = knowledge;
        this.names = names;
        this.settings = settings;
    }

    record Question(String text, double confidence, String answer, String locale, Set<String> terms) {
    }

    List<SupportStats.KnowledgeGap> find(Timestamp start, Timestamp end) {
        List<Question> questions = jdbc.sql("""
                        select m.text, b.confidence, c.locale, a.text as answer, a.author_name as agent
                        from bot_answers b
                        join messages m on m.conversation_id = b.conversation_id and m.seq = b.customer_seq
                        join conversations c on c.id = b.conversation_id
                        left join lateral (select a.text, a.author_name from messages a
                            where a.conversation_id = b.conversation_id and a.author = 'AGENT' and a.seq > b.customer_seq
                            order by a.seq limit 1) a on true
                        where c.created_at >= :start and c.created_at < :end
                          and (b.escalation_reason in ('NO_KNOWLEDGE', 'LOW_CONFIDENCE')
                               or (b.confidence < 0.5 and b.calibration is not null and b.calibration not in
                                   ('scripted', 'explicit-signal', 'curated-similarity', 'vague', 'failure')))
                        order by b.confidence, b.created_at limit :limit""")
                .param("start", start).param("end", end).param("limit", QUESTIONS)
                .query((rs, row) -> {
                    Redactor redactor = Redactor.forConversation(names);
                    String answer = rs.getString("answer");
                    // The agent's own name (a signature, "Soy Laura") is staff data: <AGENT_n>, as in exports.
                    redactor.learnStaffName(rs.getString("agent"));
                    redactor.learnNames(answer);
                    String text = redactor.redact(rs.getString("text"));
                    return new Question(text, rs.getDouble("confidence"), answer == null ? null : redactor.redact(answer),
                            rs.getString("locale"), terms(text));
                }).list();

        List<List<Question>> groups = new ArrayList<>();
        for (List<Integer> group : groups(questions)) {
            groups.add(group.stream().map(questions::get).toList());
        }
        return groups.stream()
                .sorted(Comparator.comparingInt((List<Question> g) -> -g.size())
                        .thenComparingDouble(g -> g.getFirst().confidence()))
                .limit(GROUPS)
                .map(KnowledgeGaps::gap)
                .toList();
    }

    /** Groups of question indexes, by meaning when every question has a vector, else by shared terms. */
    private List<List<Integer>> groups(List<Question> questions) {
        List<float[]> embedded = questions.isEmpty() ? List.of() : embed(questions.stream().map(Question::text).toList());
        return embedded.size() == questions.size() && !questions.isEmpty()
                ? byMeaning(embedded, settings.gapSimilarity()) : byTerms(questions, settings.gapSharedTerms());
    }

    private List<float[]> embed(List<String> texts) {
        List<String> missing = texts.stream().filter(t -> !vectors.containsKey(t)).distinct().toList();
        long started = System.nanoTime();
        for (int from = 0; from < missing.size(); from += EMBEDDING_CHUNK) {
            if (System.nanoTime() - started > EMBEDDING_BUDGET_NANOS) return List.of();
            List<String> chunk = missing.subList(from, Math.min(missing.size(), from + EMBEDDING_CHUNK));
            List<float[]> found = knowledge.embedQuestions(chunk);
            if (found.size() != chunk.size()) return List.of();
            for (int i = 0; i < chunk.size(); i++) vectors.put(chunk.get(i), found.get(i));
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (String text : texts) {
            float[] vector = vectors.get(text);
            if (vector == null) return List.of();
            out.add(vector);
        }
        return out;
    }

    /** Each question joins the group whose mean vector is most similar, at least {@code similar}, or starts one. */
    static List<List<Integer>> byMeaning(List<float[]> embedded, double similar) {
        List<List<Integer>> groups = new ArrayList<>();
        List<double[]> sums = new ArrayList<>();
        for (int q = 0; q < embedded.size(); q++) {
            float[] vector = embedded.get(q);
            int best = -1;
            double bestCosine = similar;
            for (int g = 0; g < groups.size(); g++) {
                double[] sum = sums.get(g);
                double dot = 0;
                double norm = 0;
                for (int i = 0; i < sum.length; i++) {
                    dot += sum[i] * vector[i];
                    norm += sum[i] * sum[i];
                }
                double cosine = norm == 0 ? 0 : dot / Math.sqrt(norm);
                if (cosine >= bestCosine) {
                    best = g;
                    bestCosine = cosine;
                }
            }
            if (best < 0) {
                groups.add(new ArrayList<>(List.of(q)));
                double[] sum = new double[vector.length];
                for (int i = 0; i < sum.length; i++) sum[i] = vector[i];
                sums.add(sum);
            } else {
                groups.get(best).add(q);
                double[] sum = sums.get(best);
                for (int i = 0; i < sum.length; i++) sum[i] += vector[i];
            }
        }
        return groups;
    }

    /** Each question joins the group sharing most of its terms (at least the share {@code sharedTerms}), or starts one. */
    static List<List<Integer>> byTerms(List<Question> questions, double sharedTerms) {
        List<List<Integer>> groups = new ArrayList<>();
        List<Set<String>> groupTerms = new ArrayList<>();
        for (int q = 0; q < questions.size(); q++) {
            Question question = questions.get(q);
            int best = -1;
            double bestOverlap = 0;
            for (int i = 0; i < groups.size(); i++) {
                Set<String> shared = new LinkedHashSet<>(groupTerms.get(i));
                shared.retainAll(question.terms());
                double overlap = question.terms().isEmpty() ? 0 : (double) shared.size() / question.terms().size();
                if (!shared.isEmpty() && overlap >= sharedTerms && overlap > bestOverlap) {
                    best = i;
                    bestOverlap = overlap;
                }
            }
            if (best < 0) {
                groups.add(new ArrayList<>(List.of(q)));
                groupTerms.add(new LinkedHashSet<>(question.terms()));
            } else {
                groups.get(best).add(q);
                groupTerms.get(best).addAll(question.terms());
            }
        }
        return groups;
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
