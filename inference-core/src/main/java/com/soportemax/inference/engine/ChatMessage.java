package com.soportemax.inference.engine;

import java.util.Objects;

/**
 * One turn of a conversation, as the chat template sees it. The content is always plain text:
 * special tokens written inside it are tokenized as ordinary text, never as control tokens.
 */
public record ChatMessage(Role role, String content) {

    public enum Role { SYSTEM, USER, ASSISTANT }

    public ChatMessage {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(content, "content");
    }

    public static ChatMessage system(String content) { return new ChatMessage(Role.SYSTEM, content); }

    public static ChatMessage user(String content) { return new ChatMessage(Role.USER, content); }

    public static ChatMessage assistant(String content) { return new ChatMessage(Role.ASSISTANT, content); }
}
