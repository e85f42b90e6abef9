package com.soportemax.assistant.internal;

import java.time.Instant;

/**
 * One version of the settings admins edit. Versions are never changed, only superseded; every bot answer records
 * the version it was produced with.
 */
public record SettingsVersion(int version, String systemPrompt, double temperature, double topP,
                                int maxAnswerTokens, double minConfidence, double minRetrievalScore,
                                double retrievalOnlyMinScore, String changedBy, Instant changedAt) {

    public EditableSettings values() {
        return new EditableSettings(systemPrompt, temperature, topP, maxAnswerTokens, minConfidence, minRetrievalScore,
                retrievalOnlyMinScore);
    }
}
