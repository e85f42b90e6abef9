package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.Passage;
import com.soportemax.knowledge.Retrieval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Lexical and semantic rankings fused. <b>Order</b>: reciprocal rank fusion, each ranking giving a passage among its
 * first {@value #DEPTH} {@code 1 / (k + rank)}: the lexical ranking holds the passages with a lexical score, the
 * semantic one those whose cosine with the question is above {@code floor}; ties (a passage first in one ranking only,
 * say) go to the higher score. Ranks, not scores, are added, so neither scale has to be calibrated against the other;
 * each ranking is cut to its head so that a passage sharing one stray word with the question does not gain from a
 * semantic rank far down the list. <b>Score</b> (what confidence reads): the higher of the lexical score and the semantic relevance
 * {@code (cosine − floor) / (1 − floor)} clamped to [0, 1], so a question worded with none of the article's words
 * can still be answered, and one that matches neither way scores low.
 */
record HybridRanking(double floor, int k) {

    /** Passages of each ranking that take part in the fusion. */
    static final int DEPTH = 20;

    double relevance(double cosine) {
        if (Double.isNaN(cosine)) return 0;
        return Math.clamp((cosine - floor) / (1 - floor), 0, 1);
    }

    Retrieval rank(LexicalIndex index, double[] lexical, double[] coverage, double[] cosines, int topicWords,
                   int limit, int passagesPerArticle) {
        int n = lexical.length;
        Comparator<Integer> stable = Comparator.comparing((Integer doc) -> String.valueOf(index.doc(doc).source()
                .externalId())).thenComparingInt(doc -> index.doc(doc).source().position());
        List<Integer> byLexical = new ArrayList<>();
        List<Integer> bySemantic = new ArrayList<>();
        for (int doc = 0; doc < n; doc++) {
            if (lexical[doc] > 0) byLexical.add(doc);
            if (cosines[doc] > floor) bySemantic.add(doc);
        }
        byLexical.sort(Comparator.comparingDouble((Integer doc) -> -lexical[doc]).thenComparing(stable));
        bySemantic.sort(Comparator.comparingDouble((Integer doc) -> -cosines[doc]).thenComparing(stable));
        double[] fusion = new double[n];
        for (int rank = 0; rank < Math.min(DEPTH, byLexical.size()); rank++) {
            fusion[byLexical.get(rank)] += 1.0 / (k + rank + 1);
        }
        for (int rank = 0; rank < Math.min(DEPTH, bySemantic.size()); rank++) {
            fusion[bySemantic.get(rank)] += 1.0 / (k + rank + 1);
        }
        double[] fused = new double[n];
        List<Integer> ranked = new ArrayList<>();
        for (int doc = 0; doc < n; doc++) {
            if (fusion[doc] == 0) continue;
            fused[doc] = Math.max(Math.min(1, lexical[doc]), relevance(cosines[doc]));
            ranked.add(doc);
        }
        ranked.sort(Comparator.comparingDouble((Integer doc) -> -fusion[doc])
                .thenComparingDouble(doc -> -fused[doc]).thenComparing(stable));

        Map<UUID, Integer> perArticle = new HashMap<>();
        List<Passage> found = new ArrayList<>();
        List<Retrieval.Scores> scores = new ArrayList<>();
        int first = -1;
        for (int doc : ranked) {
            LexicalIndex.Source source = index.doc(doc).source();
            if (perArticle.merge(source.articleId(), 1, Integer::sum) > passagesPerArticle) continue;
            found.add(new Passage(source.articleId(), source.externalId(), source.title(), source.text(), fused[doc]));
            scores.add(new Retrieval.Scores(Math.min(1, lexical[doc]),
                    Double.isNaN(cosines[doc]) ? null : cosines[doc], fused[doc]));
            if (first < 0) first = doc;
            if (found.size() == Math.min(limit, PassageSearch.MAX_LIMIT)) break;
        }
        if (found.isEmpty()) return new Retrieval(List.of(), 0, 0, 0, topicWords, true, List.of());
        Passage top = found.getFirst();
        double second = found.stream().filter(p -> !p.articleId().equals(top.articleId()))
                .mapToDouble(Passage::score).findFirst().orElse(0);
        return new Retrieval(found, top.score(), Math.max(0, top.score() - second), Math.min(1, coverage[first]), topicWords,
                true, scores, agreementOn(index, top.articleId(), byLexical) + agreementOn(index, top.articleId(), bySemantic));
    }

    /** Half when {@code article} leads {@code ranking}, a quarter when it is its second or third article. */
    private static double agreementOn(LexicalIndex index, UUID article, List<Integer> ranking) {
        List<UUID> articles = new ArrayList<>(3);
        for (int doc : ranking) {
            UUID id = index.doc(doc).source().articleId();
            if (!articles.contains(id)) articles.add(id);
            if (articles.size() == 3) break;
        }
        int rank = articles.indexOf(article);
        return rank == 0 ? 0.5 : rank > 0 ? 0.25 : 0;
    }
}
