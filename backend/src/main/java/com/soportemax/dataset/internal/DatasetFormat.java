package com.soportemax.dataset.internal;

import java.util.Arrays;

/** The line formats an export writes, one JSON object per line. */
public enum DatasetFormat {
    /** {@code {"messages":[...]}}: a whole conversation; a bad answer has {@code "weight":0}, a correction replaces it. */
    OPENAI_SFT("openai-sft"),
    /** {@code {"input":{"messages":[...]},"preferred_output":[...],"non_preferred_output":[...]}}. */
    OPENAI_DPO("openai-dpo"),
    /** {@code {"prompt":[...],"chosen":[...],"rejected":[...]}}. */
    TRL_DPO("trl-dpo"),
    /** {@code {"prompt":[...],"completion":[...],"label":true|false}}. */
    KTO("kto");

    private final String id;

    DatasetFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** @throws IllegalArgumentException naming the formats there are */
    public static DatasetFormat of(String id) {
        return Arrays.stream(values()).filter(format -> format.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("format must be one of openai-sft, openai-dpo, trl-dpo, kto"));
    }
}
