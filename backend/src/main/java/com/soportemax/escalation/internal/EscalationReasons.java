package com.soportemax.escalation.internal;

import com.soportemax.chat.EscalationReason;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why a conversation reached the queue, written for the people who read it ("la respuesta no era segura
 * (0,46 de 0,60)"), from the ticket's reason and the assistant's technical detail.
 */
public final class EscalationReasons {

    /** The last "measured < threshold" pair of the assistant's detail, e.g. "confidence 0.46 < 0.60". */
    private static final Pattern COMPARISON = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*<\\s*(\\d+(?:\\.\\d+)?)");

    private EscalationReasons() {
    }

    /** A short label for the queue. */
    public static String label(EscalationReason reason, boolean spanish) {
        return switch (reason) {
            case CUSTOMER_REQUEST -> spanish ? "Pide hablar con una persona" : "Asks for a person";
            case LOW_CONFIDENCE -> spanish ? "Respuesta poco segura" : "Unsure answer";
            case NO_KNOWLEDGE -> spanish ? "Sin información en la base" : "Not in the knowledge base";
            case SENSITIVE_TOPIC -> spanish ? "Enfado o amenaza legal" : "Anger or legal threat";
            case ACCOUNT_ACTION -> spanish ? "Gestión sobre su cuenta" : "Account action";
            case ENGINE_FAILURE -> spanish ? "Fallo del asistente" : "Assistant failure";
        };
    }

    /** The explanation in a sentence, with the measured numbers when the assistant gave them. */
    public static String explain(EscalationReason reason, String detail, boolean spanish) {
        String numbers = comparison(detail == null ? "" : detail, spanish);
        boolean retrievalOnly = detail != null && detail.contains("retrieval-only");
        return switch (reason) {
            case LOW_CONFIDENCE -> retrievalOnly
                    ? (spanish ? "el mejor artículo encontrado no encajaba lo suficiente" : "the best article found did not fit well enough") + numbers
                    : (spanish ? "la respuesta no era segura" : "the answer was not reliable") + numbers;
            case NO_KNOWLEDGE -> (spanish ? "la base de conocimiento no dice nada sobre esto"
                    : "the knowledge base says nothing about this") + numbers;
            case CUSTOMER_REQUEST -> spanish ? "el cliente pidió hablar con una persona" : "the customer asked for a person";
            case SENSITIVE_TOPIC -> spanish ? "el cliente está enfadado o habla de acciones legales"
                    : "the customer is angry or speaks of legal action";
            case ACCOUNT_ACTION -> spanish ? "pide una gestión sobre su cuenta (devolución, baja, cambio de datos)"
                    : "asks for an action on their account (refund, cancellation, data change)";
            case ENGINE_FAILURE -> spanish ? "el asistente falló o tardó demasiado" : "the assistant failed or timed out";
        };
    }

    private static String comparison(String detail, boolean spanish) {
        Matcher matcher = COMPARISON.matcher(detail);
        String measured = null;
        String threshold = null;
        while (matcher.find()) {
            measured = matcher.group(1);
            threshold = matcher.group(2);
        }
        if (measured == null) {
            return "";
        }
        return " (" + decimal(measured, spanish) + (spanish ? " de " : " of ") + decimal(threshold, spanish) + ")";
    }

    private static String decimal(String number, boolean spanish) {
        String formatted = String.format(Locale.ROOT, "%.2f", Double.parseDouble(number));
        return spanish ? formatted.replace('.', ',') : formatted;
    }
}
