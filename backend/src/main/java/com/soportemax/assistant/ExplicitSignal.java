package com.soportemax.assistant;

import com.soportemax.chat.EscalationReason;

import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Something in the customer's own words that sends the conversation to a person whatever the knowledge base says:
 * asking for a person, anger or legal threats, or asking us to act on their account. Spanish and English phrases,
 * matched on whole words, ignoring case and accents.
 */
enum ExplicitSignal {

    ASKS_FOR_PERSON(EscalationReason.CUSTOMER_REQUEST, "the customer asks for a person", List.of(
            "hablar con una persona", "hablar con alguien", "hablar con un humano", "hablar con una humana",
            "hablar con un agente", "hablar con una agente", "hablar con un operador", "hablar con una operadora",
            "hablar con un asesor", "hablar con una asesora", "hablar con un responsable", "hablar con un empleado",
            "una persona real", "persona de verdad", "un humano", "agente humano", "atencion humana",
            "pasame con", "paseme con", "pasadme con", "ponme con", "pongame con", "quiero un agente",
            "talk to a person", "speak to a person", "speak with a person", "talk with a person",
            "talk to a human", "speak to a human", "speak with a human", "talk to someone", "speak to someone",
            "real person", "human agent", "live agent", "talk to an agent", "speak to an agent",
            "speak with an agent", "a representative", "customer service representative")),

    SENSITIVE(EscalationReason.SENSITIVE_TOPIC, "anger or a legal threat", List.of(
            "abogado", "abogada", "abogados", "denuncia", "denunciar", "denunciare", "denunciaros", "demanda",
            "demandar", "demandare", "demandaros", "juicio", "tribunal", "tribunales", "juzgado", "via judicial",
            "hoja de reclamaciones", "oficina del consumidor", "omic", "facua", "ocu", "estafa", "estafadores",
            "estafado", "estafada", "timo", "timadores", "ladrones", "robo", "fraude", "verguenza", "indignado",
            "indignada", "harto", "harta", "inaceptable", "intolerable", "mierda", "una porqueria",
            "lawyer", "attorney", "sue you", "suing", "lawsuit", "legal action", "court", "small claims",
            "scam", "scammers", "fraud", "thieves", "furious", "outrageous", "unacceptable", "disgusting",
            "ridiculous", "worst service", "fed up")),

    ACCOUNT_ACTION(EscalationReason.ACCOUNT_ACTION, "the customer asks us to act on their account", List.of(
            "cancelad mi", "cancela mi", "cancele mi", "cancelen mi", "canceladme", "cancelame",
            "borrad mi", "borra mi", "borre mi", "borren mi", "eliminad mi", "elimina mi", "elimine mi",
            "eliminen mi", "cerrad mi", "cierra mi", "cierre mi", "cierren mi", "anulad mi", "anula mi",
            "anule mi", "dadme de baja", "dame de baja", "deme de baja", "denme de baja", "darme de baja",
            "quiero cancelar mi", "quiero borrar mi", "quiero eliminar mi", "quiero cerrar mi",
            "cambiad mi", "cambiadme", "cambiame", "modificad mi", "actualizad mi",
            "devolvedme", "devuelveme", "devuelvanme", "reembolsadme", "reembolsame", "quiero un reembolso",
            "quiero que me devolvais", "quiero que me devuelvan", "haced el reembolso", "hacedme el reembolso",
            "cancel my account", "close my account", "delete my account", "remove my account",
            "cancel my subscription", "cancel my order", "refund me", "i want a refund", "give me a refund",
            "issue a refund", "process my refund", "change my email", "change my address", "update my email",
            "update my address", "delete my data", "erase my data"));

    /** "¿Cómo cancelo mi cuenta?" is a question the knowledge base answers; "cancelad mi cuenta" is a request. */
    private static final Pattern HOW_QUESTION = Pattern.compile(
            "^ (como|donde|cuando|puedo|se puede|how|where|when|can i|is it possible) ");

    private final EscalationReason reason;
    private final String description;
    private final List<String> phrases;

    ExplicitSignal(EscalationReason reason, String description, List<String> phrases) {
        this.reason = reason;
        this.description = description;
        this.phrases = phrases.stream().map(ExplicitSignal::normalize).toList();
    }

    EscalationReason reason() {
        return reason;
    }

    /** A signal found in a message, with the phrase that triggered it (normalised). */
    record Detected(ExplicitSignal signal, String phrase) {
        String detail() {
            return signal.description + " (\"" + phrase.strip() + "\")";
        }
    }

    /** The first signal in the message, checked in order: person, sensitive, account action. */
    static Optional<Detected> detect(String message) {
        String text = normalize(message);
        for (ExplicitSignal signal : values()) {
            if (signal == ACCOUNT_ACTION && HOW_QUESTION.matcher(text).find()) continue;
            for (String phrase : signal.phrases) {
                if (text.contains(phrase)) return Optional.of(new Detected(signal, phrase));
            }
        }
        return Optional.empty();
    }

    /** Lower case, no accents, words separated by single spaces and padded with one, so phrases match whole words. */
    static String normalize(String text) {
        String decomposed = Normalizer.normalize(text == null ? "" : text, Normalizer.Form.NFD);
        String plain = Text.MARKS.matcher(decomposed).replaceAll("").toLowerCase(Locale.ROOT);
        return " " + Text.NOT_LETTERS.matcher(plain).replaceAll(" ").strip() + " ";
    }

    /** Separate holder: enum constants are built before the enum's own static fields are. */
    private static final class Text {
        static final Pattern MARKS = Pattern.compile("\\p{M}+");
        static final Pattern NOT_LETTERS = Pattern.compile("[^\\p{L}\\p{N}]+");
    }
}
