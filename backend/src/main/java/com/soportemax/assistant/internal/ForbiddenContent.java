package com.soportemax.assistant.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the customer must never read: the prompt's canary (a random marker placed in the system prompt: if it shows,
 * the model is repeating its instructions), any run of {@value #SHINGLE} words of the system prompt, the headers
 * the prompt puts around the passages, and chat-template markers.
 */
final class ForbiddenContent {

    static final int SHINGLE = 6;
    private static final Pattern TEMPLATE = Pattern.compile("<\\|[a-z_]+\\|>|\\[/?INST]|<<SYS>>|<start_of_turn>|<end_of_turn>");
    private static final List<String> HEADERS = List.of("pasajes de la base de conocimiento", "knowledge base passages",
            "marca confidencial", "confidential marker");

    private final String canary;
    private final Set<String> shingles;

    ForbiddenContent(String canary, String systemPrompt) {
        this.canary = compact(canary);
        this.shingles = shingles(systemPrompt);
    }

    /** Why {@code text} must not be shown, if it must not. */
    Optional<String> find(String text) {
        if (!canary.isEmpty() && compact(text).contains(canary)) {
            return Optional.of("the answer repeats the prompt's confidential marker (a leaked system prompt)");
        }
        if (TEMPLATE.matcher(text).find()) return Optional.of("the answer contains chat-template markers");
        String normalized = CustomerText.of(text).normalized();
        for (String header : HEADERS) {
            if (normalized.contains(" " + header + " ")) return Optional.of("the answer repeats the prompt's structure");
        }
        String[] words = normalized.strip().split(" ");
        for (int i = 0; i + SHINGLE <= words.length; i++) {
            if (shingles.contains(String.join(" ", java.util.Arrays.copyOfRange(words, i, i + SHINGLE)))) {
                return Optional.of("the answer repeats the assistant's instructions (a leaked system prompt)");
            }
        }
        return Optional.empty();
    }

    private static Set<String> shingles(String text) {
        Set<String> out = new HashSet<>();
        String[] words = CustomerText.of(text).normalized().strip().split(" ");
        for (int i = 0; i + SHINGLE <= words.length; i++) {
            out.add(String.join(" ", java.util.Arrays.copyOfRange(words, i, i + SHINGLE)));
        }
        return out;
    }

    /** Letters and digits only, lower case: "SMX-ab12" written "smx ab12" or "S M X-AB12" is still caught. */
    private static String compact(String text) {
        return text == null ? "" : text.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]", "");
    }
}
