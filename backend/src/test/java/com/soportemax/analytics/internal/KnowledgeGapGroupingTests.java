package com.soportemax.analytics.internal;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The knowledge gaps' grouping by shared terms (the fallback without an embedding model) on the eval-dev customer
 * messages, written outside the project: each answerable message names the one article that answers it, so two
 * messages grouped together should be about the same article. Skipped where {@code ../shared/eval-dev} is absent.
 */
class KnowledgeGapGroupingTests {

    private record Asked(String text, String article) {
    }

    /** Of the pairs grouped together, the share about one article; of the pairs about one article, the share grouped. */
    private record Agreement(double precision, double recall, int groups, int largest) {
    }

    private static List<Asked> evalDevQuestions() throws IOException {
        Path file = Path.of(System.getProperty("soportemax.shared", "../shared"), "eval-dev", "questions.jsonl");
        assumeTrue(Files.isReadable(file), "Skipped: the eval-dev set " + file.toAbsolutePath() + " is absent");
        List<Asked> asked = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            JsonNode q = json.readTree(line);
            if (q.path("article").isString()) asked.add(new Asked(q.path("q").asString(), q.path("article").asString()));
        }
        return asked;
    }

    private static Agreement agreement(List<Asked> asked, List<List<Integer>> groups) {
        Map<Integer, Integer> groupOf = new HashMap<>();
        for (int g = 0; g < groups.size(); g++) {
            for (int q : groups.get(g)) groupOf.put(q, g);
        }
        long together = 0;
        long togetherSame = 0;
        long same = 0;
        for (int a = 0; a < asked.size(); a++) {
            for (int b = a + 1; b < asked.size(); b++) {
                boolean sameArticle = asked.get(a).article().equals(asked.get(b).article());
                boolean grouped = groupOf.get(a).equals(groupOf.get(b));
                if (grouped) together++;
                if (sameArticle) same++;
                if (grouped && sameArticle) togetherSame++;
            }
        }
        return new Agreement(together == 0 ? 0 : (double) togetherSame / together, (double) togetherSame / same,
                groups.size(), groups.stream().mapToInt(List::size).max().orElse(0));
    }

    @Test
    void theDefaultShareOfSharedTermsKeepsQuestionsAboutDifferentThingsApart() throws IOException {
        List<Asked> asked = evalDevQuestions();
        List<KnowledgeGaps.Question> questions = asked.stream()
                .map(a -> new KnowledgeGaps.Question(a.text(), 0.1, null, "es", KnowledgeGaps.terms(a.text()))).toList();
        long pairs = (long) asked.size() * (asked.size() - 1) / 2;
        long sameArticle = 0;
        for (int a = 0; a < asked.size(); a++) {
            for (int b = a + 1; b < asked.size(); b++) {
                if (asked.get(a).article().equals(asked.get(b).article())) sameArticle++;
            }
        }
        double chance = (double) sameArticle / pairs;
        System.out.printf("Knowledge gaps by terms, %d eval-dev questions about %d articles; a random pair is about "
                + "one article with probability %.3f%n", asked.size(), asked.stream().map(Asked::article).distinct().count(), chance);
        Map<Double, Agreement> byShare = new java.util.TreeMap<>();
        for (double share : new double[]{0.15, 0.2, 0.25, 0.3, 0.34, 0.4, 0.5}) {
            Agreement agreement = agreement(asked, KnowledgeGaps.byTerms(questions, share));
            byShare.put(share, agreement);
            System.out.printf("  shared terms >= %.2f: pairs grouped about one article %.2f, pairs about one article "
                            + "grouped %.2f, %d groups, largest %d%n", share, agreement.precision(), agreement.recall(),
                    agreement.groups(), agreement.largest());
        }
        Agreement standard = byShare.get(Double.parseDouble(AnalyticsSettings.SHARED_TERMS));
        // What an admin sees: no large group of unrelated questions, and a group of two is several times likelier to be
        // one topic than two questions drawn at random; a lower share lumps questions together at about chance.
        assertThat(standard.largest()).isLessThanOrEqualTo(3);
        assertThat(standard.precision()).isGreaterThan(3 * chance);
        assertThat(byShare.get(0.2).precision()).isLessThan(standard.precision());
        assertThat(byShare.get(0.2).largest()).isGreaterThan(standard.largest());
    }
}
