package com.soportemax.assistant.internal;

import java.util.List;

/** Settings an admin submitted are out of range; {@link #problems()} says which and what is allowed. */
public class InvalidSettingsException extends IllegalArgumentException {

    private final List<String> problems;

    public InvalidSettingsException(List<String> problems) {
        super("Invalid assistant settings: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
