package com.soportemax.assistant.internal;

import com.soportemax.knowledge.Passage;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Whether a model's answer says what the passages say: the share of its content words (compared by their first
 * five letters, so "devolver"/"devolución" match) found in the passages or the customer's message, and the numbers
 * it states that neither contains. A number the passages do not give is an invented price, date or deadline.
 *
 * @param share              0..1; 1 when the answer has no content words
 * @param unsupportedNumbers numbers in the answer found in no passage and not in the message
 */
record Grounding(double share, List<String> unsupportedNumbers) {

    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?");
    private static final int STEM = 5;
    private static final Set<String> COMMON = Set.copyOf(List.of("puedes", "puede", "tienes", "tiene", "hacer", "sobre", "desde",
            "hasta", "para", "pero", "como", "cuando", "donde", "esta", "este", "estos", "estas", "también",
            "tambien", "nuestro", "nuestra", "nuestros", "usted", "ustedes", "favor", "gracias", "hola", "claro",
            "ayudarte", "ayuda", "necesitas", "quieres", "about", "your", "with", "that", "this", "there", "have",
            "will", "from", "they", "them", "please", "thanks", "hello", "which", "what", "when", "where", "would",
            "could", "should", "también", "sólo", "solo", "cada", "todo", "todos", "toda", "todas", "otro", "otra",
            "muy", "más", "mas", "menos", "bien", "sin", "según", "segun", "ellos", "ellas", "also", "only", "just"));

    static Grounding of(String answer, List<Passage> passages, String message) {
        StringBuilder source = new StringBuilder(message == null ? "" : message);
        for (Passage p : passages) source.append(' ').append(p.title()).append(' ').append(p.text());
        String sourceText = source.toString();
        Set<String> stems = stems(sourceText);
        Set<String> numbers = numbers(sourceText);
        int content = 0;
        int found = 0;
        for (String word : words(answer)) {
            if (word.length() < 4 || COMMON.contains(word) || Character.isDigit(word.charAt(0))) continue;
            content++;
            if (stems.contains(stem(word))) found++;
        }
        List<String> unsupported = new ArrayList<>();
        for (String n : numbers(answer)) if (!numbers.contains(n)) unsupported.add(n);
        return new Grounding(content == 0 ? 1 : (double) found / content, List.copyOf(unsupported));
    }

    private static List<String> words(String text) {
        String plain = CustomerText.of(text).normalized().strip();
        return plain.isEmpty() ? List.of() : List.of(plain.split(" "));
    }

    private static Set<String> stems(String text) {
        Set<String> out = new HashSet<>();
        for (String w : words(text)) out.add(stem(w));
        return out;
    }

    private static String stem(String word) {
        return word.length() <= STEM ? word : word.substring(0, STEM);
    }

    /** Numbers written the same way whatever the decimal separator ("4,6" and "4.6"). */
    private static Set<String> numbers(String text) {
        Set<String> out = new java.util.LinkedHashSet<>();
        Matcher m = NUMBER.matcher(text);
        while (m.find()) out.add(m.group().replace(',', '.'));
        return out;
    }
}
