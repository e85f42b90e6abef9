package com.soportemax.inference.engine;

import com.soportemax.inference.model.BertEncoder;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.tensor.KernelPool;

import java.util.List;

/** The network under an embedding model: token sequences in, one pooled (not yet normalised) vector each out. */
sealed interface EmbeddingBackbone {

    int dimension();

    /** Most tokens of one sequence, special tokens included. */
    int contextLength();

    float[][] pooled(List<int[]> sequences, KernelPool pool);

    /** A BERT encoder, all sequences in one batch. */
    record Encoder(BertEncoder encoder) implements EmbeddingBackbone {
        @Override
        public int dimension() {
            return encoder.dimension();
        }

        @Override
        public int contextLength() {
            return encoder.contextLength();
        }

        @Override
        public float[][] pooled(List<int[]> sequences, KernelPool pool) {
            return encoder.embed(sequences, pool);
        }
    }

    /**
     * A decoder embedding model (Qwen3-Embedding style): causal attention over the sequence, and the hidden state
     * of its last token, after the output norm, is the embedding.
     */
    record LastTokenDecoder(Transformer decoder, int contextLength) implements EmbeddingBackbone {
        @Override
        public int dimension() {
            return decoder.config().embeddingLength();
        }

        @Override
        public float[][] pooled(List<int[]> sequences, KernelPool pool) {
            float[][] out = new float[sequences.size()][];
            for (int s = 0; s < out.length; s++) {
                int[] tokens = sequences.get(s);
                Transformer.State state = decoder.newState(tokens.length);
                try {
                    out[s] = decoder.lastHiddenState(state, tokens, 0, tokens.length, pool);
                } finally {
                    state.sequence().release();
                }
            }
            return out;
        }
    }
}
