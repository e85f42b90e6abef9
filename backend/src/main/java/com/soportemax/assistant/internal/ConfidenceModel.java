package com.soportemax.assistant.internal;

import java.util.List;
import java.util.Map;

/**
 * The fitted calibration: P(answer right) = 1 / (1 + exp(-(intercept + Σ weight_i · x_i))) over
 * {@link ConfidenceFeatures#vector()}: one logistic model for retrieval-only answers of lexical retrieval, one for
 * those of hybrid (lexical and semantic) retrieval, whose scores mean other things (a fused score is also a cosine;
 * null in a model fitted before it existed: the lexical one stands in), and one for answers a language model wrote. Stored as a versioned resource ({@code assistant/confidence-model.json}), written by
 * {@link ConfidenceFitter}; {@code sample} keeps the fitted messages' probabilities and labels (no text) so admins
 * see what each threshold would have done.
 */
record ConfidenceModel(String version, String fittedOn, Logistic retrievalOnly, Logistic semanticRetrievalOnly,
                       Logistic withModel, List<Labelled> sample) {

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
        if (features.generated()) return withModel.probability(features.vector());
        if (features.semantic() && semanticRetrievalOnly != null) {
            return semanticRetrievalOnly.probability(features.vector());
        }
        return retrievalOnly.probability(features.vector());
    }
}
