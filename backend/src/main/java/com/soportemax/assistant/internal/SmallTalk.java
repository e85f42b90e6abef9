package com.soportemax.assistant.internal;

import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.Set;

/**
 * Messages that are only conversation: a greeting, thanks, a goodbye, an "ok". They get a short friendly reply in
 * the customer's language and never a ticket. A message with anything else in it ("hola, ¿cuánto cuesta el envío?")
 * is not small talk: the greeting is ignored and the question answered.
 */
final class SmallTalk {

    /** In order of precedence: "vale, gracias" is thanks, "gracias, adiós" a goodbye. */
    enum Kind { ACKNOWLEDGEMENT, GREETING, THANKS, GOODBYE }

    private static final Map<String, Kind> WORDS = Map.ofEntries(
            Map.entry("hola", Kind.GREETING), Map.entry("holi", Kind.GREETING), Map.entry("buenas", Kind.GREETING),
            Map.entry("buenos", Kind.GREETING), Map.entry("dias", Kind.GREETING), Map.entry("tardes", Kind.GREETING),
            Map.entry("noches", Kind.GREETING), Map.entry("saludos", Kind.GREETING), Map.entry("hey", Kind.GREETING),
            Map.entry("hi", Kind.GREETING), Map.entry("hello", Kind.GREETING), Map.entry("morning", Kind.GREETING),
            Map.entry("afternoon", Kind.GREETING), Map.entry("evening", Kind.GREETING), Map.entry("ey", Kind.GREETING),
            Map.entry("alo", Kind.GREETING), Map.entry("wenas", Kind.GREETING),
            Map.entry("gracias", Kind.THANKS), Map.entry("thanks", Kind.THANKS), Map.entry("thank", Kind.THANKS),
            Map.entry("agradezco", Kind.THANKS), Map.entry("agradecido", Kind.THANKS), Map.entry("agradecida", Kind.THANKS),
            Map.entry("cheers", Kind.THANKS),
            Map.entry("adios", Kind.GOODBYE), Map.entry("chao", Kind.GOODBYE), Map.entry("chau", Kind.GOODBYE),
            Map.entry("bye", Kind.GOODBYE), Map.entry("goodbye", Kind.GOODBYE), Map.entry("luego", Kind.GOODBYE),
            Map.entry("pronto", Kind.GOODBYE), Map.entry("vemos", Kind.GOODBYE), Map.entry("hasta", Kind.GOODBYE),
            Map.entry("ok", Kind.ACKNOWLEDGEMENT), Map.entry("okay", Kind.ACKNOWLEDGEMENT), Map.entry("okey", Kind.ACKNOWLEDGEMENT),
            Map.entry("oki", Kind.ACKNOWLEDGEMENT), Map.entry("vale", Kind.ACKNOWLEDGEMENT), Map.entry("perfecto", Kind.ACKNOWLEDGEMENT),
            Map.entry("genial", Kind.ACKNOWLEDGEMENT), Map.entry("estupendo", Kind.ACKNOWLEDGEMENT),
            Map.entry("entendido", Kind.ACKNOWLEDGEMENT), Map.entry("entiendo", Kind.ACKNOWLEDGEMENT),
            Map.entry("acuerdo", Kind.ACKNOWLEDGEMENT), Map.entry("claro", Kind.ACKNOWLEDGEMENT), Map.entry("guay", Kind.ACKNOWLEDGEMENT),
            Map.entry("bien", Kind.ACKNOWLEDGEMENT), Map.entry("great", Kind.ACKNOWLEDGEMENT), Map.entry("perfect", Kind.ACKNOWLEDGEMENT),
            Map.entry("cool", Kind.ACKNOWLEDGEMENT), Map.entry("fine", Kind.ACKNOWLEDGEMENT), Map.entry("understood", Kind.ACKNOWLEDGEMENT),
            Map.entry("got", Kind.ACKNOWLEDGEMENT), Map.entry("nice", Kind.ACKNOWLEDGEMENT), Map.entry("si", Kind.ACKNOWLEDGEMENT),
            Map.entry("yes", Kind.ACKNOWLEDGEMENT), Map.entry("sure", Kind.ACKNOWLEDGEMENT), Map.entry("listo", Kind.ACKNOWLEDGEMENT),
            Map.entry("dale", Kind.ACKNOWLEDGEMENT), Map.entry("sale", Kind.ACKNOWLEDGEMENT), Map.entry("va", Kind.ACKNOWLEDGEMENT));

    /** Words that go with the ones above without changing what the message is. */
    private static final Set<String> FILLERS = Set.copyOf(List.of("muchas", "muchisimas", "mil", "mucho", "muy", "por", "todo",
            "de", "el", "la", "un", "una", "nada", "pues", "entonces", "ya", "vale", "que", "tal", "tio", "tia", "a",
            "y", "and", "you", "so", "much", "very", "a", "lot", "good", "it", "all", "for", "your", "help", "the",
            "ayuda", "tu", "vuestra", "su", "senor", "senora", "amigo", "equipo", "again", "see", "soon", "day", "dia",
            "feliz", "buen", "gran", "then", "there", "everyone", "ah", "oh", "eh", "vaya", "super", "ahi", "estas", "esta", "como", "todos"));

    private SmallTalk() {
    }

    /** The reply, when the message is only small talk. */
    static Optional<String> reply(CustomerText text, String language) {
        Optional<Kind> kind = kind(text);
        return kind.map(k -> reply(k, language));
    }

    static Optional<Kind> kind(CustomerText text) {
        Kind found = null;
        for (String word : text.words()) {
            Kind kind = WORDS.get(word);
            if (kind != null) {
                if (found == null || kind.ordinal() > found.ordinal()) found = kind;
            } else if (!FILLERS.contains(word) && !word.chars().allMatch(Character::isDigit)) {
                return Optional.empty();
            }
        }
        if (found == null) {
            // Only emoji or punctuation ("👍", "??") is an acknowledgement when it carries no letters at all.
            boolean noLetters = text.original().codePoints().noneMatch(Character::isLetterOrDigit);
            boolean pictograph = text.original().codePoints().anyMatch(c -> Character.getType(c) == Character.OTHER_SYMBOL);
            return noLetters && pictograph ? Optional.of(Kind.ACKNOWLEDGEMENT) : Optional.empty();
        }
        return Optional.of(found);
    }

    static String reply(Kind kind, String language) {
        boolean english = "en".equals(language);
        return switch (kind) {
            case GREETING -> english ? "Hi! How can I help you?" : "¡Hola! ¿En qué puedo ayudarte?";
            case THANKS -> english ? "You're welcome! If you need anything else, just write."
                    : "¡De nada! Si necesitas algo más, escríbeme.";
            case GOODBYE -> english ? "Goodbye, have a nice day!" : "¡Hasta pronto! Que tengas un buen día.";
            case ACKNOWLEDGEMENT -> english ? "Great. Is there anything else I can help you with?"
                    : "Perfecto. ¿Te puedo ayudar con algo más?";
        };
    }
}
