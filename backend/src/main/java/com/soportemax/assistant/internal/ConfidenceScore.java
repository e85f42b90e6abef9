package com.soportemax.assistant.internal;

import java.util.Locale;
import java.util.Optional;

/**
 * How sure the assistant is of an answer, with the parts it was computed from. {@code value} is the calibrated
 * probability that the answer is right ({@link ConfidenceModel}: a logistic model fitted on labelled messages),
 * from the retrieval features, the model's token probabilities and the grounding check when a model wrote the
 * answer. An explicit signal gives 0; a scripted reply (small talk, a clarifying question) gives 1.
 *
 * @param retrieval    the best passage's fused score, 0 when none was found
 * @param margin       the best article's score minus the next article's
 * @param coverage     share of the message's topic words found in the best passage
 * @param topicWords   how many topic words the message has
 * @param meanLogProb  mean log-probability of the answer's tokens; empty when nothing was generated
 * @param minTokenProb lowest probability of any answer token; empty when nothing was generated
 * @param grounding    share of the answer's content words and numbers found in the passages; empty without a model
 * @param signal       an explicit signal in the customer's message
 * @param value        the calibrated probability in [0, 1]
 * @param calibration  which fitted model computed {@code value} (its version), or how it was set
 */
record ConfidenceScore(double retrieval, double margin, double coverage, int topicWords, Optional<Double> meanLogProb,
                       Optional<Double> minTokenProb, Optional<Double> grounding, Optional<ExplicitSignal> signal,
                       double value, String calibration) {

    static final String SCRIPTED = "scripted";
    static final String SIGNAL = "explicit-signal";

    ConfidenceScore {
        if (!(value >= 0 && value <= 1)) throw new IllegalArgumentException("confidence must be in [0, 1], was " + value);
    }

    static ConfidenceScore ofSignal(ExplicitSignal signal) {
        return new ConfidenceScore(0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(signal), 0, SIGNAL);
    }

    /** A reply the assistant writes from its own script, not from the knowledge base. */
    static ConfidenceScore scripted() {
        return new ConfidenceScore(0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 1, SCRIPTED);
    }

    /** Nothing to be confident about (nothing retrieved, or the answer failed before it was scored). */
    static ConfidenceScore none(String calibration) {
        return new ConfidenceScore(0, 0, 0, 0, Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, calibration);
    }

    static ConfidenceScore of(ConfidenceFeatures features, double value, String calibration) {
        return new ConfidenceScore(features.topScore(), features.margin(), features.coverage(), features.topicWords(),
                features.meanLogProb(), features.minTokenProb(), features.grounding(), Optional.empty(),
                clamp(value), calibration);
    }

    /** For admins and agents: "0.42 (retrieval 0.80, margin 0.30, coverage 0.50, mean token p 0.08, ...)". */
    String explain() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%.2f (retrieval %.2f, margin %.2f, coverage %.2f",
                value, retrieval, margin, coverage));
        meanLogProb.ifPresent(m -> s.append(String.format(Locale.ROOT, ", mean token p %.2f", Math.exp(m))));
        minTokenProb.ifPresent(p -> s.append(String.format(Locale.ROOT, ", lowest token p %.2f", p)));
        grounding.ifPresent(g -> s.append(String.format(Locale.ROOT, ", grounding %.2f", g)));
        return s.append(')').toString();
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
