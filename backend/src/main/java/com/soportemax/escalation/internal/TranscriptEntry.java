package com.soportemax.escalation.internal;

import com.soportemax.chat.ChatMessage;

import java.time.Instant;

/** One line of the transcript as agents read it: a message the customer sees too, or a note or action of agents. */
public sealed interface TranscriptEntry {

    Instant at();

    record Message(ChatMessage message) implements TranscriptEntry {
        @Override
        public Instant at() {
            return message.createdAt();
        }
    }

    record Desk(DeskEntry entry) implements TranscriptEntry {
        @Override
        public Instant at() {
            return entry.createdAt();
        }
    }
}
