package com.soportemax.escalation.internal;

/** Where a ticket is in the agents' queue. */
public enum TicketStatus {
    /** Waiting for an agent. */
    OPEN,
    /** An agent has taken it. */
    CLAIMED,
    /** The conversation ended. */
    RESOLVED
}
