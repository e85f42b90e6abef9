package de.kherud.llama;

import java.util.Arrays;

/**
 * Lets tests hand llama.cpp a prompt as token ids (its server accepts a JSON array of ids as the prompt), so the
 * reference sees exactly the tokens our engine sees, independent of either tokenizer. Lives in the binding's
 * package because the parameter map is package-private.
 */
public final class PromptIds {

    private PromptIds() {
    }

    public static InferenceParameters of(int[] ids) {
        InferenceParameters p = new InferenceParameters("");
        p.parameters.put("prompt", Arrays.toString(ids));
        return p;
    }
}
