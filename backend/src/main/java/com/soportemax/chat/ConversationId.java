package com.soportemax.chat;

import java.util.Objects;
import java.util.UUID;

/** Identifies a customer conversation. */
public record ConversationId(UUID value) {

    public ConversationId {
        Objects.requireNonNull(value, "value");
    }

    public static ConversationId random() {
        return new ConversationId(UUID.randomUUID());
    }

    /** @throws IllegalArgumentException when the text is not a UUID */
    public static ConversationId parse(String text) {
        return new ConversationId(UUID.fromString(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
