package com.soportemax.inference.tokenizer;

import java.util.Objects;

/** A part of a prompt to tokenize: plain text, or one special token put there by the chat template. */
public sealed interface Fragment {

    /** Text tokenized as plain text: special token strings inside it stay text. */
    record Text(String text) implements Fragment {
        public Text {
            Objects.requireNonNull(text, "text");
        }
    }

    /** One token id, typically a control token such as {@code <|im_start|>}. */
    record Special(int id) implements Fragment {
    }

    static Fragment text(String text) {
        return new Text(text);
    }

    static Fragment special(int id) {
        return new Special(id);
    }
}
