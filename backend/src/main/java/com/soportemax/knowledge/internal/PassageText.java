package com.soportemax.knowledge.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What of a passage is embedded: its article's title, then its text (which keeps its heading), so a section reads in
 * the context of its article. Its SHA-256 names the passage's vector: an edited passage has another one.
 */
record PassageText(String text, String sha256, TextAnalysis.Language language) {

    static PassageText of(String passagePrefix, String title, String text) {
        return of(passagePrefix, title, text, null);
    }

    /** @param language the passage's language (null: unknown), for a model that reads one language only */
    static PassageText of(String passagePrefix, String title, String text, TextAnalysis.Language language) {
        String embedded = passagePrefix + title + "\n" + text;
        return new PassageText(embedded, sha256(embedded), language);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
