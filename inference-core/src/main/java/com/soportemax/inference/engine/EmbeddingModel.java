package com.soportemax.inference.engine;

import java.util.List;

/**
 * A sentence-embedding model loaded from a GGUF file (an encoder such as BERT with mean pooling, or a decoder
 * embedding model with last-token pooling). Thread-safe; {@link #close()} unmaps the file.
 */
public interface EmbeddingModel extends AutoCloseable {

    /** Length of every vector this model returns. */
    int dimension();

    /** The model's name and shape, as read from the file. */
    ModelInfo info();

    /**
     * The L2-normalised embedding of {@code text} (so the dot product of two vectors is their cosine). Text longer
     * than the model's context is cut to its first tokens.
     */
    float[] embed(String text);

    /** {@link #embed(String)} of each text, in order; batched where the engine can. */
    default List<float[]> embedAll(List<String> texts) {
        return texts.stream().map(this::embed).toList();
    }

    @Override
    void close();
}
