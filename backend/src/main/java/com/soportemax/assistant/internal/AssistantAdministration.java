package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantSettings;
import com.soportemax.assistant.AssistantEngine;

import org.springframework.stereotype.Service;

/** The admin side of the assistant: its state and its versioned settings. */
@Service
public class AssistantAdministration {

    static final int VERSIONS_SHOWN = 10;
    static final int GENERATIONS_MEASURED = 20;

    private final AssistantEngine engine;
    private final AssistantSettingsStore settings;
    private final BotAnswerLog answers;

    AssistantAdministration(AssistantEngine engine, AssistantSettingsStore settings, BotAnswerLog answers) {
        this.engine = engine;
        this.settings = settings;
        this.answers = answers;
    }

    public AssistantOverview overview() {
        AssistantEngine.Status status = engine.status();
        var speed = answers.recentTokensPerSecond(GENERATIONS_MEASURED);
        return new AssistantOverview(status.mode().name(), status.modelReference(), status.info().orElse(null),
                status.notice(), speed.isPresent() ? speed.getAsDouble() : null, settings.current(),
                settings.history(VERSIONS_SHOWN));
    }

    public SettingsVersion currentSettings() {
        return settings.current();
    }

    /** Stores the change as a new version; the next answer uses it. */
    public SettingsVersion change(EditableSettings change, String changedBy) {
        return settings.change(change, changedBy == null || changedBy.isBlank() ? "unknown" : changedBy);
    }
}
