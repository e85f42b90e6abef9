package com.soportemax.assistant.internal;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A random marker placed in every system prompt, new at each start of the application. It has no meaning for the
 * model; if it ever shows in an answer, the model is repeating its instructions, and the answer is stopped.
 */
final class PromptCanary {

    private static final String VALUE = create();

    private PromptCanary() {
    }

    private static String create() {
        byte[] bytes = new byte[6];
        new SecureRandom().nextBytes(bytes);
        return "SMX-" + HexFormat.of().formatHex(bytes);
    }

    static String value() {
        return VALUE;
    }
}
