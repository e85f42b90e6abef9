package com.soportemax.escalation.internal;

/** Which tickets an agent looks at. */
public enum QueueFilter {
    /** Claimed by the agent. */
    MINE,
    /** Waiting for anyone. */
    UNASSIGNED,
    /** Every open or claimed ticket. */
    ALL
}
