package com.soportemax.assistant;

import com.soportemax.inference.engine.Completion;

import java.util.Locale;
import java.util.Optional;

/**
 * How sure the assistant is of an answer, with the parts it is made of. The combined value is in [0, 1], a weighted
 * geometric mean, so that any one weak part pulls the whole down:
 * {@code retrieval^0.3 * exp(meanLogProb)^0.5 * lowest^0.2}, with
 * {@code lowest = clamp(minTokenProb / 0.2, 0.01, 1)}. The mean token probability weighs most because a model that
 * knows the answer from the passages writes it fluently; the lowest token probability catches a single made-up
 * detail (a wrong number) in an otherwise fluent answer, and counts fully from 0.2 up because sampling legitimately
 * picks some less likely tokens. A good passage cannot carry a doubtful answer (with an arithmetic mean a perfect
 * retrieval score alone came close to the delivery threshold). Without a model (retrieval-only) the value is the
 * retrieval score; with an explicit signal it is 0.
 *
 * @param retrieval    the best passage's score, 0 when none was found
 * @param meanLogProb  mean log-probability of the answer's tokens; empty when nothing was generated
 * @param minTokenProb lowest probability of any answer token; empty when nothing was generated
 * @param signal       an explicit signal in the customer's message
 * @param value        the combined confidence
 */
record ConfidenceScore(double retrieval, Optional<Double> meanLogProb, Optional<Double> minTokenProb,
                       Optional<ExplicitSignal> signal, double value) {

    static final double RETRIEVAL_WEIGHT = 0.3;
    static final double MEAN_PROBABILITY_WEIGHT = 0.5;
    static final double LOWEST_PROBABILITY_WEIGHT = 0.2;
    static final double LOWEST_PROBABILITY_CAP = 0.2;
    static final double LOWEST_PROBABILITY_FLOOR = 0.01;

    ConfidenceScore {
        if (!(value >= 0 && value <= 1)) throw new IllegalArgumentException("confidence must be in [0, 1], was " + value);
    }

    static ConfidenceScore ofGeneration(double retrieval, Completion completion) {
        // a remote server that sends no log-probabilities: only retrieval can speak for the answer
        if (Double.isNaN(completion.meanLogProb())) return ofRetrievalOnly(retrieval);
        double r = clamp(retrieval);
        double mean = Math.exp(Math.min(0, completion.meanLogProb()));
        double lowest = Math.max(LOWEST_PROBABILITY_FLOOR, Math.min(1, clamp(completion.minTokenProb())
                / LOWEST_PROBABILITY_CAP));
        double value = Math.pow(r, RETRIEVAL_WEIGHT) * Math.pow(mean, MEAN_PROBABILITY_WEIGHT)
                * Math.pow(lowest, LOWEST_PROBABILITY_WEIGHT);
        return new ConfidenceScore(r, Optional.of(completion.meanLogProb()), Optional.of(completion.minTokenProb()),
                Optional.empty(), clamp(value));
    }

    static ConfidenceScore ofRetrievalOnly(double retrieval) {
        return new ConfidenceScore(clamp(retrieval), Optional.empty(), Optional.empty(), Optional.empty(),
                clamp(retrieval));
    }

    static ConfidenceScore ofSignal(ExplicitSignal signal) {
        return new ConfidenceScore(0, Optional.empty(), Optional.empty(), Optional.of(signal), 0);
    }

    /** For admins and agents: "0.42 (retrieval 0.80, mean token p 0.08, lowest token p 0.01)". */
    String explain() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.2f (retrieval %.2f", value, retrieval));
        meanLogProb.ifPresent(m -> s.append(String.format(Locale.ROOT, ", mean token p %.2f", Math.exp(m))));
        minTokenProb.ifPresent(p -> s.append(String.format(Locale.ROOT, ", lowest token p %.2f", p)));
        return s.append(')').toString();
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
