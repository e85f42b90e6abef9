package com.soportemax.assistant.internal;

import java.util.List;
import java.util.Set;

/**
 * A message too vague to answer or to hand over usefully: every word it has is generic ("no funciona", "tengo un
 * problema con lo mío", "help"). It gets one clarifying question; a second vague message goes to a person.
 */
final class Vagueness {

    private static final Set<String> GENERIC = Set.copyOf(List.of(
            // Spanish function words and chat fillers
            "a", "al", "algo", "ahi", "aqui", "asi", "con", "de", "del", "el", "ella", "en", "es", "esa", "ese", "eso",
            "esta", "estas", "este", "esto", "estoy", "ha", "hay", "he", "la", "las", "le", "lo", "los", "me", "mi",
            "mis", "mio", "mia", "mios", "mias", "muy", "nada", "no", "nos", "o", "os", "para", "pero", "por", "porque",
            "que", "se", "si", "sin", "su", "sus", "te", "tu", "un", "una", "uno", "y", "ya", "yo", "hola", "buenas",
            "pues", "bueno", "mira", "oye", "favor", "ayuda", "ayudar", "ayudame", "ayudenme", "necesito", "tengo",
            "tiene", "tienen", "teneis", "quiero", "problema", "problemas", "fallo", "error", "funciona", "funcionan",
            "va", "anda", "duda", "dudas", "consulta", "pregunta", "cosa", "cosas", "tema", "asunto", "todo", "nadie",
            "otra", "otro", "vez", "sigue", "sale", "puedo", "puede", "hacer", "pasa", "pasado", "ocurre", "raro",
            "mal", "bien", "urgente", "rapido", "ahora", "ya", "hoy", "cuenta", "vuestro", "vuestra",
            // English
            "i", "it", "is", "my", "me", "the", "a", "an", "this", "that", "not", "doesnt", "does", "do", "dont",
            "work", "working", "works", "help", "problem", "issue", "question", "have", "has", "got", "something",
            "wrong", "please", "hi", "hello", "with", "need", "again", "still", "broken", "can", "you", "there"));

    private Vagueness() {
    }

    static boolean isVague(CustomerText text) {
        if (text.words().isEmpty()) return true;
        return text.words().stream().allMatch(GENERIC::contains);
    }

    static String clarifyingQuestion(String language) {
        return "en".equals(language)
                ? "I'd like to help. Could you tell me a bit more: what were you trying to do, and what happened "
                + "(an error message, a bill, your account…)?"
                : "Quiero ayudarte. ¿Me cuentas un poco más? Por ejemplo, qué intentabas hacer y qué ha pasado "
                + "(un mensaje de error, una factura, tu cuenta…).";
    }
}
