package com.soportemax.assistant.internal;

import com.soportemax.knowledge.Passage;

/** The answer retrieval-only mode sends: the best passage, shortened, introduced with its article's title. */
final class PassageAnswer {

    static final int MAX_CHARS = 700;

    private PassageAnswer() {
    }

    static String format(Passage passage, String locale) {
        String intro = "en".equals(locale)
                ? "This is what our article “" + passage.title() + "” says:"
                : "Esto es lo que dice nuestro artículo «" + passage.title() + "»:";
        return intro + "\n\n" + shorten(passage.text().strip());
    }

    /** Cuts at the last sentence end (or space) before the limit, so the excerpt reads as whole sentences. */
    private static String shorten(String text) {
        if (text.length() <= MAX_CHARS) return text;
        String head = text.substring(0, MAX_CHARS);
        int sentence = Math.max(head.lastIndexOf(". "), head.lastIndexOf(".\n"));
        if (sentence > MAX_CHARS / 2) return head.substring(0, sentence + 1);
        int space = head.lastIndexOf(' ');
        return (space > 0 ? head.substring(0, space) : head) + "…";
    }
}
