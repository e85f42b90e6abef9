package com.soportemax.analytics.internal;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code soportemax.analytics.*}: how the dashboard groups the knowledge gaps.
 *
 * @param gapSimilarity  the cosine a question's vector needs with a group's mean vector to join it, when the
 *                       knowledge base has its embedding model. 0.55 was set on all-MiniLM-L6-v2, where paraphrases
 *                       of one question score 0.6-0.8 and questions about different things under 0.3; another model
 *                       spreads its cosines differently (a larger multilingual model scores unrelated questions
 *                       higher) and needs its own value
 * @param gapSharedTerms the share of a question's terms a group must already hold for the question to join it, when
 *                       questions are grouped by their words (no embedding model, or none ready in time). On the
 *                       eval-dev customer messages lower values merge questions about different things
 *                       ({@code KnowledgeGapGroupingTests})
 */
@Validated
@ConfigurationProperties("soportemax.analytics")
public record AnalyticsSettings(@DefaultValue(AnalyticsSettings.SIMILARITY) double gapSimilarity,
                                @DefaultValue(AnalyticsSettings.SHARED_TERMS) double gapSharedTerms) {

    static final String SIMILARITY = "0.55";
    static final String SHARED_TERMS = "0.34";

    public AnalyticsSettings {
        if (!(gapSimilarity > 0 && gapSimilarity <= 1)) {
            throw new IllegalArgumentException("soportemax.analytics.gap-similarity must be above 0 and at most 1, not "
                    + gapSimilarity);
        }
        if (!(gapSharedTerms > 0 && gapSharedTerms <= 1)) {
            throw new IllegalArgumentException("soportemax.analytics.gap-shared-terms must be above 0 and at most 1, not "
                    + gapSharedTerms);
        }
    }
}
