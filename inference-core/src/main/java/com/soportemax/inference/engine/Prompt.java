package com.soportemax.inference.engine;

import java.util.List;
import java.util.Objects;

/** What the model continues: a conversation rendered by the model's chat template, or raw text. */
public sealed interface Prompt {

    /** A conversation; the engine renders it with the model's chat template and opens the assistant turn. */
    record Chat(List<ChatMessage> messages) implements Prompt {
        public Chat {
            messages = List.copyOf(messages);
            if (messages.isEmpty()) throw new IllegalArgumentException("a chat prompt needs at least one message");
        }
    }

    /** Text used as-is: no template; a BOS token only when the model's metadata asks for one. */
    record Raw(String text) implements Prompt {
        public Raw {
            Objects.requireNonNull(text, "text");
        }
    }

    static Prompt chat(List<ChatMessage> messages) { return new Chat(messages); }

    static Prompt raw(String text) { return new Raw(text); }
}
