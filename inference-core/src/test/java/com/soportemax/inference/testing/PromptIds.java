package com.soportemax.inference.testing;

import de.kherud.llama.InferenceParameters;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.Map;

/**
 * Lets tests hand llama.cpp a prompt as token ids (its server accepts a JSON array of ids as the prompt), so the
 * reference sees exactly the tokens our engine sees, independent of either tokenizer. The binding keeps its
 * parameter map package-private, so it is reached by reflection (tests run on the class path).
 */
public final class PromptIds {

    private static final Field PARAMETERS;

    static {
        try {
            PARAMETERS = InferenceParameters.class.getSuperclass().getDeclaredField("parameters");
            PARAMETERS.setAccessible(true);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private PromptIds() {
    }

    @SuppressWarnings("unchecked")
    public static InferenceParameters of(int[] ids) {
        InferenceParameters p = new InferenceParameters("");
        try {
            ((Map<String, String>) PARAMETERS.get(p)).put("prompt", Arrays.toString(ids));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }
}
