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
 * Lexical and semantic rankings fused. <b>Order</b>: a weighted sum of the two scores, each standardised over the
 * knowledge base's passages for this question (its z-score: how far above this question's typical passage a passage
 * scores, in standard deviations), {@code lexicalWeight × z(lexical) + (1 − lexicalWeight) × z(cosine)}. A passage
 * takes part when it has a lexical score or a cosine above {@code floor}. Standardising puts a cosine of 0.45 that
 * stands far above the rest on the same footing as a lexical score that does, whatever either scale's spread for
 * this question; unlike reciprocal rank fusion it keeps how far ahead a passage is, so a passage clearly first in
 * one ranking is not overtaken by one that is second in both. On two labelled sets (electricity retailer, telecom)
 * with all-MiniLM-L6-v2 it put the right article first for 90 of 104 answerable messages against 88 by rank
 * fusion, with the lexical weight 0.4. <b>Score</b> (what confidence reads): the higher of the lexical score and
 * the semantic relevance {@code (cosine − floor) / (1 − floor)} clamped to [0, 1], so a question worded with none
 * of the article's words can still be answered, and one that matches neither way scores low.
 */
record HybridRanking(double floor, double lexicalWeight) {

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
        double[] lexicalZ = standardised(lexical);
        double[] semanticZ = standardised(cosines);
        double[] fusion = new double[n];
        for (int doc = 0; doc < n; doc++) {
            fusion[doc] = lexicalWeight * lexicalZ[doc] + (1 - lexicalWeight) * semanticZ[doc];
        }
        double[] fused = new double[n];
        List<Integer> ranked = new ArrayList<>();
        for (int doc = 0; doc < n; doc++) {
            if (lexical[doc] <= 0 && !(cosines[doc] > floor)) continue;
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
        double lead = Double.POSITIVE_INFINITY;
        for (int doc : ranked) {
            if (!index.doc(doc).source().articleId().equals(top.articleId())) {
                lead = fusion[first] - fusion[doc];
                break;
            }
        }
        double margin = 1 - Math.exp(-Math.max(0, lead));
        return new Retrieval(found, top.score(), margin, Math.min(1, coverage[first]), topicWords,
                true, scores, agreementOn(index, top.articleId(), byLexical) + agreementOn(index, top.articleId(), bySemantic));
    }

    /**
     * Each value's distance from the mean of {@code values} in standard deviations; NaN (a passage without a
     * vector) gets the lowest standardised value, and all get 0 when the values do not vary.
     */
    static double[] standardised(double[] values) {
        double sum = 0;
        int count = 0;
        for (double value : values) {
            if (!Double.isNaN(value)) {
                sum += value;
                count++;
            }
        }
        double[] z = new double[values.length];
        if (count == 0) return z;
        double mean = sum / count;
        double squares = 0;
        for (double value : values) {
            if (!Double.isNaN(value)) squares += (value - mean) * (value - mean);
        }
        double deviation = Math.sqrt(squares / count);
        if (deviation < 1e-12) return z;
        double lowest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) continue;
            z[i] = (values[i] - mean) / deviation;
            lowest = Math.min(lowest, z[i]);
        }
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) z[i] = lowest;
        }
        return z;
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
