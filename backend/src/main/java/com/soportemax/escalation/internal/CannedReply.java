package com.soportemax.escalation.internal;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/** A reply agents insert with "/" + its shortcut, in one language. */
public record CannedReply(UUID id, String title, String text, String language, String shortcut) {

    static final Pattern SHORTCUT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");

    public CannedReply {
        Objects.requireNonNull(id, "id");
        if (title == null || title.isBlank() || title.length() > 200) {
            throw new IllegalArgumentException("title: write a title of at most 200 characters.");
        }
        if (text == null || text.isBlank() || text.length() > 4000) {
            throw new IllegalArgumentException("text: write the reply (at most 4000 characters).");
        }
        if (!"es".equals(language) && !"en".equals(language)) {
            throw new IllegalArgumentException("language: must be \"es\" or \"en\".");
        }
        if (shortcut == null || !SHORTCUT.matcher(shortcut).matches()) {
            throw new IllegalArgumentException("shortcut: lowercase letters, digits, - or _ (e.g. saludo), at most 40.");
        }
    }
}
