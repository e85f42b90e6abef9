package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.ModelFormatException;

import java.util.Set;

/**
 * Hyper-parameters of a decoder-only transformer, read from GGUF metadata.
 *
 * @param ropeDim    how many dimensions of each head RoPE rotates (usually all)
 * @param neoxRope   true for NeoX-style RoPE (pairs i and i + ropeDim/2: Qwen2, Qwen3); false for the original
 *                   interleaved pairs (2i, 2i+1: Llama)
 */
public record Configuration(String architecture, int embeddingLength, int blockCount, int headCount,
                            int headCountKv, int headDim, int ropeDim, int feedForwardLength, int contextLength,
                            int vocabularySize, float rmsEpsilon, float ropeTheta, boolean neoxRope) {

    static final Set<String> ARCHITECTURES = Set.of("llama", "qwen2", "qwen3");

    public Configuration {
        if (headCount <= 0 || headCountKv <= 0 || headCount % headCountKv != 0) {
            throw new IllegalArgumentException("attention heads " + headCount + " must be a positive multiple of kv heads "
                    + headCountKv);
        }
    }

    public static Configuration from(GgufFile gguf) throws ModelFormatException {
        String arch = gguf.requireString("general.architecture");
        if (!ARCHITECTURES.contains(arch)) {
            throw new ModelFormatException("unsupported architecture '" + arch + "' (general.architecture); supported: "
                    + String.join(", ", ARCHITECTURES.stream().sorted().toList()));
        }
        int dim = positive(gguf, arch + ".embedding_length");
        int blocks = positive(gguf, arch + ".block_count");
        int heads = positive(gguf, arch + ".attention.head_count");
        int kvHeads = gguf.intOr(arch + ".attention.head_count_kv", heads);
        if (kvHeads <= 0 || heads % kvHeads != 0) {
            throw new ModelFormatException("metadata key '" + arch + ".attention.head_count_kv' = " + kvHeads
                    + " must divide the head count " + heads);
        }
        int headDim = gguf.intOr(arch + ".attention.key_length", dim / heads);
        int valueDim = gguf.intOr(arch + ".attention.value_length", headDim);
        if (headDim <= 0 || headDim % 2 != 0 || valueDim != headDim) {
            throw new ModelFormatException("metadata key '" + arch + ".attention.key_length' = " + headDim
                    + " must be a positive even number equal to the value length " + valueDim);
        }
        int ropeDim = gguf.intOr(arch + ".rope.dimension_count", headDim);
        if (ropeDim <= 0 || ropeDim > headDim || ropeDim % 2 != 0) {
            throw new ModelFormatException("metadata key '" + arch + ".rope.dimension_count' = " + ropeDim
                    + " must be even and at most the head size " + headDim);
        }
        int ff = positive(gguf, arch + ".feed_forward_length");
        int ctx = positive(gguf, arch + ".context_length");
        float eps = gguf.floatOr(arch + ".attention.layer_norm_rms_epsilon", 1e-5f);
        float theta = gguf.floatOr(arch + ".rope.freq_base", 10_000f);
        if (!(eps > 0) || !(theta > 0)) {
            throw new ModelFormatException("RMS epsilon (" + eps + ") and rope.freq_base (" + theta + ") must be positive");
        }
        var embeddings = gguf.requireTensor("token_embd.weight");
        if (embeddings.cols() != dim) {
            throw new ModelFormatException("tensor 'token_embd.weight' has width " + embeddings.cols()
                    + " but " + arch + ".embedding_length is " + dim);
        }
        if (embeddings.rows() > Integer.MAX_VALUE) {
            throw new ModelFormatException("tensor 'token_embd.weight' has an absurd vocabulary of " + embeddings.rows());
        }
        return new Configuration(arch, dim, blocks, heads, kvHeads, headDim, ropeDim, ff, ctx,
                (int) embeddings.rows(), eps, theta, !arch.equals("llama"));
    }

    private static int positive(GgufFile gguf, String key) throws ModelFormatException {
        int v = gguf.requireInt(key);
        if (v <= 0) throw new ModelFormatException("metadata key '" + key + "' must be positive, was " + v);
        return v;
    }

    public int queryDim() { return headCount * headDim; }

    public int kvDim() { return headCountKv * headDim; }
}
