package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantSettings;

import java.util.ArrayList;
import java.util.List;

/**
 * New values for the assistant's editable settings (all of them, as the admin page and the JSON API send them).
 *
 * @throws InvalidSettingsException listing every value that is out of range
 */
public record EditableSettings(String systemPrompt, double temperature, double topP, int maxAnswerTokens,
                             double minConfidence, double minRetrievalScore, double retrievalOnlyMinScore) {

    public static final int MAX_SYSTEM_PROMPT_CHARS = 8000;

    /** The first version, from {@code soportemax.assistant.*}. */
    static EditableSettings initial(AssistantSettings settings) {
        return new EditableSettings(settings.systemPrompt(), settings.temperature(), settings.topP(),
                settings.maxAnswerTokens(), settings.minConfidence(), settings.minRetrievalScore(),
                settings.retrievalOnlyMinScore());
    }

    public EditableSettings {
        List<String> problems = new ArrayList<>();
        if (systemPrompt == null || systemPrompt.isBlank()) {
            problems.add("systemPrompt must not be empty");
        } else if (systemPrompt.length() > MAX_SYSTEM_PROMPT_CHARS) {
            problems.add("systemPrompt must be at most " + MAX_SYSTEM_PROMPT_CHARS + " characters");
        }
        if (!(temperature >= 0 && temperature <= 2)) problems.add("temperature must be between 0 and 2");
        if (!(topP > 0 && topP <= 1)) problems.add("topP must be greater than 0 and at most 1");
        if (maxAnswerTokens < 16 || maxAnswerTokens > 4096) problems.add("maxAnswerTokens must be between 16 and 4096");
        requireUnitInterval(problems, "minConfidence", minConfidence);
        requireUnitInterval(problems, "minRetrievalScore", minRetrievalScore);
        requireUnitInterval(problems, "retrievalOnlyMinScore", retrievalOnlyMinScore);
        if (!problems.isEmpty()) throw new InvalidSettingsException(problems);
        systemPrompt = systemPrompt.strip();
    }

    private static void requireUnitInterval(List<String> problems, String name, double value) {
        if (!(value >= 0 && value <= 1)) problems.add(name + " must be between 0 and 1");
    }
}
