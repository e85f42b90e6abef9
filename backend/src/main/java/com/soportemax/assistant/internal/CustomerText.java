package com.soportemax.assistant.internal;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A customer's message as the assistant's rules read it: lower case, no accents, chat spellings written out ("q",
 * "xq", "tb", "pa", "k" before e/i), words separated by single spaces, sentence ends kept as " . ", padded with one
 * space so that patterns match whole words. General Spanish and English chat writing, not any company's vocabulary.
 */
record CustomerText(String original, String normalized, List<String> words) {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SENTENCE_END = Pattern.compile("[.!?¿¡;:\\n]+");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}.]+");
    private static final Pattern REPEATED_LETTER = Pattern.compile("(\\p{L})\\1{2,}");
    private static final Map<String, String> CHAT_SPELLINGS = Map.ofEntries(
            Map.entry("q", "que"), Map.entry("k", "que"), Map.entry("ke", "que"), Map.entry("xq", "porque"),
            Map.entry("pq", "porque"), Map.entry("porq", "porque"), Map.entry("xk", "porque"),
            Map.entry("tb", "tambien"), Map.entry("tmb", "tambien"), Map.entry("tbn", "tambien"),
            Map.entry("pa", "para"), Map.entry("x", "por"), Map.entry("d", "de"), Map.entry("dnd", "donde"),
            Map.entry("xfa", "por favor"), Map.entry("porfa", "por favor"), Map.entry("porfi", "por favor"),
            Map.entry("pls", "please"), Map.entry("plz", "please"), Map.entry("u", "you"), Map.entry("ur", "your"),
            Map.entry("im", "i am"), Map.entry("dont", "do not"), Map.entry("cant", "can not"),
            Map.entry("thx", "thanks"), Map.entry("ty", "thanks"), Map.entry("msj", "mensaje"),
            Map.entry("tlf", "telefono"), Map.entry("tfno", "telefono"), Map.entry("info", "informacion"));
    private static final Set<String> ENGLISH = Set.copyOf(List.of("the", "and", "you", "your", "is", "are", "do", "does", "i",
            "my", "what", "how", "can", "have", "with", "for", "of", "to", "it", "this", "that", "we", "our", "hi",
            "hello", "thanks", "thank", "please", "bye", "would", "there", "from", "not", "will", "when", "where"));
    private static final Set<String> SPANISH = Set.copyOf(List.of("el", "la", "los", "las", "de", "que", "y", "en", "un", "una",
            "es", "mi", "me", "por", "para", "con", "no", "se", "lo", "como", "hola", "gracias", "cuanto", "tengo",
            "donde", "cuando", "puedo", "os", "del", "al", "esta", "pero", "si", "ya", "vale"));

    static CustomerText of(String text) {
        String original = text == null ? "" : text;
        String plain = MARKS.matcher(Normalizer.normalize(original, Normalizer.Form.NFD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        plain = REPEATED_LETTER.matcher(plain).replaceAll("$1");
        plain = SENTENCE_END.matcher(plain).replaceAll(" . ");
        plain = NOT_WORD.matcher(plain).replaceAll(" ");
        StringBuilder out = new StringBuilder(" ");
        List<String> words = new java.util.ArrayList<>();
        for (String token : plain.strip().split(" +")) {
            if (token.isEmpty()) continue;
            if (token.chars().allMatch(c -> c == '.')) {
                if (!out.toString().endsWith(" . ")) out.append(". ");
                continue;
            }
            token = token.replace(".", "");
            if (token.isEmpty()) continue;
            String spelled = CHAT_SPELLINGS.getOrDefault(token, token);
            if (spelled.equals(token) && token.length() > 2 && token.charAt(0) == 'k'
                    && (token.charAt(1) == 'e' || token.charAt(1) == 'i')) {
                spelled = "qu" + token.substring(1);
            }
            for (String w : spelled.split(" ")) {
                words.add(w);
                out.append(w).append(' ');
            }
        }
        return new CustomerText(original, out.toString(), List.copyOf(words));
    }

    /** "en" when the message reads as English, "es" when it reads as Spanish, otherwise {@code fallback}. */
    String language(String fallback) {
        long english = words.stream().filter(ENGLISH::contains).count();
        long spanish = words.stream().filter(SPANISH::contains).count();
        if (english > spanish) return "en";
        if (spanish > english) return "es";
        return fallback;
    }

    boolean matches(Pattern pattern) {
        return pattern.matcher(normalized).find();
    }

    /** Share of letters in upper case (shouting), over messages with at least 12 letters; 0 otherwise. */
    double shouting() {
        long letters = original.codePoints().filter(Character::isLetter).count();
        if (letters < 12) return 0;
        return (double) original.codePoints().filter(Character::isUpperCase).count() / letters;
    }

    static Pattern words(String... alternatives) {
        return Pattern.compile(" (?:" + String.join("|", Arrays.asList(alternatives)) + ") ");
    }
}
