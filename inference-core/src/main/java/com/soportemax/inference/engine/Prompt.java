package com.soportemax.inference.engine;

import java.util.List;
import java.util.Objects;

/** What the model continues: a conversation rendered by the model's chat template, raw text, or token ids. */
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

    /** Token ids used as-is (benchmarks, clients that tokenize themselves); each must be in the vocabulary. */
    record Tokens(int[] ids) implements Prompt {
        public Tokens {
            ids = ids.clone();
            if (ids.length == 0) throw new IllegalArgumentException("a token prompt needs at least one token");
        }

        @Override
        public int[] ids() {
            return ids.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tokens t && java.util.Arrays.equals(ids, t.ids);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(ids);
        }

        @Override
        public String toString() {
            return "Tokens[" + ids.length + " ids]";
        }
    }

    static Prompt chat(List<ChatMessage> messages) { return new Chat(messages); }

    static Prompt raw(String text) { return new Raw(text); }

    static Prompt tokens(int... ids) { return new Tokens(ids); }
}
