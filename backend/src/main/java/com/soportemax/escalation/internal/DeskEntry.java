package com.soportemax.escalation.internal;

import java.time.Instant;
import java.util.UUID;

/** A note, or an agent's action, on the agents' side of a transcript. */
public record DeskEntry(UUID id, Kind kind, String authorEmail, String authorName, String text, Instant createdAt) {

    public enum Kind { NOTE, CLAIMED, RELEASED, TRANSFERRED, HANDED_BACK, RESOLVED, EMAILED }
}
