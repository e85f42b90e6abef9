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
}
