package com.soportemax.assistant.internal;

import java.util.List;
import java.util.Map;

/**
 * The fitted calibration: P(answer right) = 1 / (1 + exp(-(intercept + Σ weight_i · x_i))) over
 * {@link ConfidenceFeatures#vector()}, one logistic model for retrieval-only answers and one for answers a language
 * model wrote. Stored as a versioned resource ({@code assistant/confidence-model.json}), written by
 * {@link ConfidenceFitter}; {@code sample} keeps the fitted messages' probabilities and labels (no text) so admins
 * see what each threshold would have done.
 */
record ConfidenceModel(String version, String fittedOn, Logistic retrievalOnly, Logistic withModel,
                       List<Labelled> sample) {

    ConfidenceModel {
        sample = List.copyOf(sample);
    }

    /** One logistic model. {@code note} says what it was fitted on, or that it is a prior. */
    record Logistic(double intercept, Map<String, Double> weights, String note) {

        Logistic {
            weights = Map.copyOf(weights);
        }

        double probability(Map<String, Double> x) {
            double z = intercept;
            for (var w : weights.entrySet()) z += w.getValue() * x.getOrDefault(w.getKey(), 0.0);
            return 1 / (1 + Math.exp(-z));
        }
    }

    /** A labelled message of the fitting set: the probability the model gives it and whether the answer was right. */
    record Labelled(double probability, boolean right) {
    }

    double probability(ConfidenceFeatures features) {
        return (features.generated() ? withModel : retrievalOnly).probability(features.vector());
    }
}
