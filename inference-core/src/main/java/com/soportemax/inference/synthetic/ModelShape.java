package com.soportemax.inference.synthetic;

import java.util.Locale;

/**
 * The dimensions of a transformer as a GGUF file declares them: enough to generate a model with the exact tensor
 * shapes and metadata of a real one.
 *
 * @param headDim         per-head dimension (key and value length)
 * @param tiedOutput      true when the output projection reuses token_embd (no output.weight tensor)
 * @param qkvBias         Qwen2-style biases on the Q, K and V projections
 * @param qkNorm          Qwen3-style per-head RMSNorm of queries and keys
 * @param llama3RopeScale Llama 3.1+ rope scaling (factor 32, original context 8192), stored as rope_freqs.weight
 */
public record ModelShape(String name, String architecture, int vocabularySize, int embeddingLength, int blockCount,
                         int headCount, int headCountKv, int headDim, int feedForwardLength, int contextLength,
                         float ropeTheta, float rmsEpsilon, boolean tiedOutput, boolean qkvBias, boolean qkNorm,
                         boolean llama3RopeScale) {

    public ModelShape {
        if (headCount % headCountKv != 0) throw new IllegalArgumentException("heads must be a multiple of kv heads");
    }

    /** Qwen2.5-0.5B(-Instruct). */
    public static final ModelShape QWEN2_5_0_5B = new ModelShape("qwen2.5-0.5b", "qwen2", 151936, 896, 24, 14, 2, 64,
            4864, 32768, 1_000_000f, 1e-6f, true, true, false, false);

    /** Qwen3-0.6B: per-head Q/K RMSNorm, no QKV biases, 16 query heads of 128 (wider than the model's 1024). */
    public static final ModelShape QWEN3_0_6B = new ModelShape("qwen3-0.6b", "qwen3", 151936, 1024, 28, 16, 8, 128,
            3072, 40960, 1_000_000f, 1e-6f, true, false, true, false);

    /** Llama-3.2-1B(-Instruct). */
    public static final ModelShape LLAMA_3_2_1B = new ModelShape("llama-3.2-1b", "llama", 128256, 2048, 16, 32, 8, 64,
            8192, 131072, 500_000f, 1e-5f, true, false, false, true);

    /** A small Llama-style model for quick tries; the vocabulary size comes from the tokenizer metadata. */
    public static final ModelShape TINY = new ModelShape("tiny", "llama", 512, 256, 2, 4, 2, 64, 512, 2048,
            10_000f, 1e-5f, false, false, false, false);

    public static ModelShape named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "qwen2.5-0.5b" -> QWEN2_5_0_5B;
            case "qwen3-0.6b" -> QWEN3_0_6B;
            case "llama-3.2-1b" -> LLAMA_3_2_1B;
            case "tiny" -> TINY;
            default -> throw new IllegalArgumentException("unknown shape '" + name
                    + "' (known: qwen2.5-0.5b, qwen3-0.6b, llama-3.2-1b, tiny)");
        };
    }

    public ModelShape withVocabularySize(int size) {
        return new ModelShape(name, architecture, size, embeddingLength, blockCount, headCount, headCountKv, headDim,
                feedForwardLength, contextLength, ropeTheta, rmsEpsilon, tiedOutput, qkvBias, qkNorm, llama3RopeScale);
    }

    public int queryDim() { return headCount * headDim; }

    public int kvDim() { return headCountKv * headDim; }
}
