package com.soportemax.chat.internal;

/** The languages the widget speaks. Spanish is the default. */
public enum Language {
    ES("es"), EN("en");

    private final String code;

    Language(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    /** @throws IllegalArgumentException for anything but "es" or "en" */
    public static Language of(String code) {
        for (Language locale : values()) {
            if (locale.code.equals(code)) {
                return locale;
            }
        }
        throw new IllegalArgumentException("Unsupported locale '" + code + "': use \"es\" or \"en\".");
    }
}
