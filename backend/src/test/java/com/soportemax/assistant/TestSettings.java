package com.soportemax.assistant;

import org.springframework.util.unit.DataSize;

import java.time.Duration;

/** The assistant's settings with their defaults, for tests that build beans by hand. */
public final class TestSettings {

    private TestSettings() {
    }

    public static AssistantSettings withQueue(int concurrent, int queued, int perAddress) {
        return new AssistantSettings(AssistantSettings.DEFAULT_SYSTEM_PROMPT, 0.2, 0.9, 320, 0.55, 0, 0.6, 4, 20,
                Duration.ofSeconds(90), concurrent, queued, perAddress, 4096, 0, 0.65, 120, DataSize.ofMegabytes(256));
    }

    public static AssistantSettings defaults() {
        return withQueue(2, 64, 8);
    }
}
