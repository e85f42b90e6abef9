package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.ModelFormatException;

/** How a sentence embedding is made from the hidden states of its tokens ({@code <arch>.pooling_type}). */
public enum Pooling {
    /** The average over all tokens (llama.cpp pooling type 1). */
    MEAN,
    /** The first token, {@code [CLS]} (type 2). */
    CLS,
    /** The last token, for decoder embedding models whose input ends with an end-of-text token (type 3). */
    LAST;

    /** The pooling a file asks for; {@code fallback} when it does not say. */
    public static Pooling from(GgufFile gguf, String architecture, Pooling fallback) throws ModelFormatException {
        String key = architecture + ".pooling_type";
        if (!gguf.metadata().containsKey(key)) return fallback;
        int type = gguf.requireInt(key);
        return switch (type) {
            case 1 -> MEAN;
            case 2 -> CLS;
            case 3 -> LAST;
            case 0 -> throw new ModelFormatException("metadata key '" + key + "' = 0 (none): the model gives one "
                    + "vector per token, not a sentence embedding");
            case 4 -> throw new ModelFormatException("metadata key '" + key + "' = 4 (rank): this is a reranking "
                    + "model, not an embedding model");
            default -> throw new ModelFormatException("metadata key '" + key + "' = " + type + " is no pooling type "
                    + "llama.cpp knows (1 mean, 2 cls, 3 last)");
        };
    }
}
