package com.soportemax.escalation.internal;

import java.util.Locale;

/** What an agent in charge may do to take a conversation off their hands (see {@link EscalationQueue#act}). */
public enum DeskAction {
    /** The bot answers again from the customer's next message. */
    HANDBACK,
    /** Back to the queue for another agent. */
    RELEASE,
    /** The conversation ends and the customer is asked for a rating. */
    RESOLVE;

    /** The action named in a URL: {@code handback}, {@code release}, {@code resolve} (or its synonym {@code close}). */
    public static DeskAction named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "handback" -> HANDBACK;
            case "release" -> RELEASE;
            case "resolve", "close" -> RESOLVE;
            default -> throw new java.util.NoSuchElementException("No action " + name + ".");
        };
    }
}
