package com.soportemax.assistant.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The settings as submitted by the admin page's form or the JSON API, before validation. Missing values are
 * reported by name instead of turning into zeros.
 */
public record SettingsForm(String systemPrompt, Double temperature, Double topP, Integer maxAnswerTokens,
                    Double minConfidence, Double minRetrievalScore, Double retrievalOnlyMinScore) {

    public static SettingsForm of(SettingsVersion s) {
        return new SettingsForm(s.systemPrompt(), s.temperature(), s.topP(), s.maxAnswerTokens(), s.minConfidence(),
                s.minRetrievalScore(), s.retrievalOnlyMinScore());
    }

    /** @throws InvalidSettingsException naming every missing or out-of-range value */
    public EditableSettings toChange() {
        List<String> missing = new ArrayList<>();
        if (systemPrompt == null) missing.add("systemPrompt is required");
        if (temperature == null) missing.add("temperature is required (a number, e.g. 0.2)");
        if (topP == null) missing.add("topP is required (a number, e.g. 0.9)");
        if (maxAnswerTokens == null) missing.add("maxAnswerTokens is required (a whole number, e.g. 320)");
        if (minConfidence == null) missing.add("minConfidence is required (a number between 0 and 1)");
        if (minRetrievalScore == null) missing.add("minRetrievalScore is required (a number between 0 and 1)");
        if (retrievalOnlyMinScore == null) missing.add("retrievalOnlyMinScore is required (a number between 0 and 1)");
        if (!missing.isEmpty()) throw new InvalidSettingsException(missing);
        return new EditableSettings(systemPrompt, temperature, topP, maxAnswerTokens, minConfidence, minRetrievalScore,
                retrievalOnlyMinScore);
    }
}
