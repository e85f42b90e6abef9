package com.soportemax.chat.internal;

/** The notices the customer reads when the conversation changes hands, in their language. */
final class SystemNotices {

    private SystemNotices() {
    }

    static String escalated(Language language) {
        return switch (language) {
            case ES -> "Te pasamos con una persona de nuestro equipo de soporte. Un agente se unirá a la conversación en breve.";
            case EN -> "We are passing you to a person from our support team. An agent will join the conversation shortly.";
        };
    }

    static String agentJoined(Language language, String agentName) {
        return switch (language) {
            case ES -> agentName + " se ha unido a la conversación.";
            case EN -> agentName + " has joined the conversation.";
        };
    }

    static String closed(Language language) {
        return switch (language) {
            case ES -> "La conversación ha terminado. ¿Nos cuentas qué tal te hemos atendido?";
            case EN -> "The conversation has ended. How did we do?";
        };
    }

    static String handedBack(Language language) {
        return switch (language) {
            case ES -> "Te devolvemos al asistente virtual. Si necesitas a una persona, pídelo cuando quieras.";
            case EN -> "You are back with the virtual assistant. Ask for a person whenever you need one.";
        };
    }

    static String released(Language language) {
        return switch (language) {
            case ES -> "Otra persona del equipo continuará la conversación en breve.";
            case EN -> "Another person from the team will continue the conversation shortly.";
        };
    }

    static String emailLeft(Language language, String email) {
        return switch (language) {
            case ES -> "Gracias. Te responderemos por correo a " + email + " (y también aquí).";
            case EN -> "Thank you. We will answer by e-mail to " + email + " (and here too).";
        };
    }
}
