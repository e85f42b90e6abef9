package com.soportemax.assistant;

import com.soportemax.knowledge.Passage;

import java.util.List;

/**
 * The layout of the system message the assistant answers with: the system prompt of the settings version, the reply
 * language, an optional confidential marker, then the numbered passages. The answer pipeline builds its prompts with
 * it, and training datasets render the system message of a past answer with it, so the two never drift apart.
 */
public final class SystemMessage {

    private SystemMessage() {
    }

    /**
     * The whole system message.
     *
     * @param locale   "en" for English, anything else Spanish
     * @param canary   the confidential marker of this process, or empty for none (datasets: the marker is a secret)
     * @param passages the passages the answer was given, best first
     */
    public static String render(String systemPrompt, String locale, String canary, List<Passage> passages) {
        StringBuilder system = new StringBuilder(header(systemPrompt, locale, canary));
        for (int i = 0; i < passages.size(); i++) system.append(section(i, passages.get(i)));
        return system.toString();
    }

    /** Everything before the passages. */
    public static String header(String systemPrompt, String locale, String canary) {
        boolean english = "en".equals(locale);
        StringBuilder system = new StringBuilder(systemPrompt.strip()).append("\n\n")
                .append(english ? "Reply in English." : "Responde en español.");
        if (!canary.isEmpty()) {
            system.append("\n\n").append(english ? "Confidential marker, never write it: "
                    : "Marca confidencial, no la escribas nunca: ").append(canary);
        }
        return system.append("\n\n")
                .append(english ? "Knowledge-base passages:" : "Pasajes de la base de conocimiento:").toString();
    }

    /** The passage at {@code index} (from 0), as appended after the header. */
    public static String section(int index, Passage passage) {
        return "\n\n[" + (index + 1) + "] " + passage.title() + "\n" + passage.text().strip();
    }
}
