package com.soportemax.assistant.internal;

import com.soportemax.inference.engine.Completion;
import com.soportemax.knowledge.Retrieval;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the calibrated confidence is computed from. {@link #vector()} names each input the way the fitted model's
 * coefficients do.
 */
record ConfidenceFeatures(double topScore, double margin, double coverage, int topicWords, boolean semantic,
                          double agreement, Optional<Double> meanLogProb, Optional<Double> minTokenProb, Optional<Double> grounding) {

    /** Feature names of the retrieval-only model; the model-answer model adds {@link #GENERATION}. */
    static final java.util.List<String> RETRIEVAL = java.util.List.of("topScore", "margin", "coverage", "topicWords",
            "semantic");
    /** Hybrid retrieval's model adds whether its two rankings agree on the first article. */
    static final java.util.List<String> HYBRID_RETRIEVAL = java.util.List.of("topScore", "margin", "coverage",
            "topicWords", "agreement");
    static final java.util.List<String> GENERATION = java.util.List.of("meanTokenProbability",
            "lowestTokenProbability", "grounding");
    /** The lowest token probability counts fully from here up: sampling legitimately picks some less likely tokens. */
    static final double LOWEST_PROBABILITY_CAP = 0.2;

    static ConfidenceFeatures of(Retrieval retrieval) {
        return new ConfidenceFeatures(clamp(retrieval.topScore()), clamp(retrieval.margin()),
                clamp(retrieval.coverage()), Math.max(0, retrieval.topicWords()), retrieval.semantic(),
                clamp(retrieval.agreement()), Optional.empty(), Optional.empty(), Optional.empty());
    }

    ConfidenceFeatures withGeneration(Completion completion, double grounding) {
        return withTokens(completion.meanLogProb(), completion.minTokenProb(), grounding);
    }

    ConfidenceFeatures withTokens(double meanLogProb, double minTokenProb, double grounding) {
        // a remote server that sends no log-probabilities: retrieval and grounding speak for the answer
        if (Double.isNaN(meanLogProb)) {
            return new ConfidenceFeatures(topScore, margin, coverage, topicWords, semantic, agreement, Optional.empty(),
                    Optional.empty(), Optional.of(clamp(grounding)));
        }
        return new ConfidenceFeatures(topScore, margin, coverage, topicWords, semantic, agreement, Optional.of(meanLogProb),
                Optional.of(minTokenProb), Optional.of(clamp(grounding)));
    }

    boolean generated() {
        return meanLogProb.isPresent();
    }

    /** The model's inputs: scores in [0, 1]; topic words as log(1 + n) so the tenth word counts less than the second. */
    Map<String, Double> vector() {
        Map<String, Double> x = new LinkedHashMap<>();
        x.put("topScore", topScore);
        x.put("margin", margin);
        x.put("coverage", coverage);
        x.put("topicWords", Math.log1p(topicWords));
        x.put("semantic", semantic ? 1.0 : 0.0);
        x.put("agreement", agreement);
        meanLogProb.ifPresent(m -> x.put("meanTokenProbability", Math.exp(Math.min(0, m))));
        minTokenProb.ifPresent(p -> x.put("lowestTokenProbability", Math.min(1, clamp(p) / LOWEST_PROBABILITY_CAP)));
        grounding.ifPresent(g -> x.put("grounding", g));
        return x;
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
