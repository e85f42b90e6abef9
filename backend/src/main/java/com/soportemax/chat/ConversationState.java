package com.soportemax.chat;

/** Who is answering the customer. */
public enum ConversationState {
    /** The assistant answers. */
    BOT,
    /** Waiting in the agents' queue. */
    ESCALATED,
    /** An agent has taken the conversation. */
    AGENT,
    /** Ended; the customer may rate it. */
    CLOSED
}
