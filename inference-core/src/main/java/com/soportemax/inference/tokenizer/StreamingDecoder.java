package com.soportemax.inference.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decodes generated tokens one at a time. A character whose UTF-8 bytes are split over several tokens is released
 * only when its last byte arrives, so streamed text never shows half a character. Bytes that can never form a
 * character become U+FFFD. Not thread-safe: one decoder per generation.
 */
public final class StreamingDecoder {

    private final Tokenizer tokenizer;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    StreamingDecoder(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /** Adds a token and returns the text completed by it (possibly empty). */
    public String accept(int id) {
        pending.writeBytes(tokenizer.tokenBytes(id));
        byte[] bytes = pending.toByteArray();
        int complete = Utf8.completePrefixLength(bytes);
        pending.reset();
        pending.write(bytes, complete, bytes.length - complete);
        return complete == 0 ? "" : Utf8.decode(bytes, 0, complete);
    }

    /** Returns whatever is still held back (an unfinished character, as U+FFFD) and empties the decoder. */
    public String finish() {
        byte[] bytes = pending.toByteArray();
        pending.reset();
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
