package com.soportemax.inference.synthetic;

import com.soportemax.inference.gguf.GgufWriter;
import com.soportemax.inference.tensor.GgmlType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Writes GGUF models with random weights and the exact tensor names, shapes and metadata of a real architecture.
 * Speed does not depend on weight values, so these stand in for real models in benchmarks; and because weights are
 * scaled so the next-token distribution is sharply peaked (logits with a standard deviation of about 10), greedy
 * decoding does not hinge on near-ties, which makes token-for-token comparison with llama.cpp meaningful.
 *
 * <p>Layers are scaled so that each block adds a contribution of order one to the residual stream: the next token
 * depends on the whole context, not only on the current token.
 */
public final class RandomModel {

    private static final float LOGIT_STD = 10f;
    private static final float EMBEDDING_STD = 0.05f;
    private static final double ROW_SCALE_SIGMA = 1.0;
    // queries and keys of standard deviation 1.5 give attention scores of about 2: attention picks out positions
    private static final float QK_STD = 1.5f;

    private RandomModel() {
    }

    /**
     * @param type              weight type of the matrices; a matrix whose width is not a multiple of the type's block
     *                          falls back to Q8_0 (as llama.cpp's quantizer falls back for such tensors)
     * @param tokenizerMetadata the {@code tokenizer.*} entries; its token list sets the vocabulary size
     * @param silentTokens      tokens whose embedding and output rows are zero, so greedy decoding never picks them
     */
    public static void write(ModelShape shape, GgmlType type, Map<String, Object> tokenizerMetadata, long seed,
                             IntPredicate silentTokens, Path out) throws IOException {
        Object tokens = tokenizerMetadata.get("tokenizer.ggml.tokens");
        if (tokens instanceof String[] t) shape = shape.withVocabularySize(t.length);
        writer(shape, type, tokenizerMetadata, seed, silentTokens).write(out);
    }

    public static GgufWriter writer(ModelShape s, GgmlType type, Map<String, Object> tokenizerMetadata, long seed,
                                    IntPredicate silentTokens) {
        String arch = s.architecture();
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", arch);
        w.putString("general.name", s.name() + " (random weights)");
        w.put("general.file_type", fileType(type));
        w.put("general.quantization_version", 2);
        w.put(arch + ".context_length", s.contextLength());
        w.put(arch + ".embedding_length", s.embeddingLength());
        w.put(arch + ".block_count", s.blockCount());
        w.put(arch + ".feed_forward_length", s.feedForwardLength());
        w.put(arch + ".attention.head_count", s.headCount());
        w.put(arch + ".attention.head_count_kv", s.headCountKv());
        w.put(arch + ".rope.freq_base", s.ropeTheta());
        w.put(arch + ".attention.layer_norm_rms_epsilon", s.rmsEpsilon());
        w.put(arch + ".rope.dimension_count", s.headDim());
        if (s.headDim() * s.headCount() != s.embeddingLength()) {
            w.put(arch + ".attention.key_length", s.headDim());
            w.put(arch + ".attention.value_length", s.headDim());
        }
        if (arch.equals("llama")) w.put(arch + ".vocab_size", s.vocabularySize());
        w.putAll(tokenizerMetadata);

        int d = s.embeddingLength();
        int vocab = s.vocabularySize();
        float outputNorm = s.tiedOutput() ? LOGIT_STD / (EMBEDDING_STD * (float) Math.sqrt(d)) : 1f;
        matrix(w, "token_embd.weight", type, vocab, d, EMBEDDING_STD, seed, silentTokens, s.tiedOutput());
        vector(w, "output_norm.weight", d, outputNorm, 0.05f * outputNorm, seed);
        if (!s.tiedOutput()) {
            matrix(w, "output.weight", type, vocab, d, LOGIT_STD / (float) Math.sqrt(d), seed, silentTokens, true);
        }
        if (s.llama3RopeScale()) {
            w.addTensor("rope_freqs.weight", GgmlType.F32, new long[]{s.headDim() / 2},
                    floats(llama3RopeFactors(s.headDim(), s.ropeTheta())));
        }
        IntPredicate none = i -> false;
        for (int l = 0; l < s.blockCount(); l++) {
            String p = "blk." + l + ".";
            vector(w, p + "attn_norm.weight", d, 1f, 0.05f, seed);
            matrix(w, p + "attn_q.weight", type, s.queryDim(), d, QK_STD / (float) Math.sqrt(d), seed, none);
            matrix(w, p + "attn_k.weight", type, s.kvDim(), d, QK_STD / (float) Math.sqrt(d), seed, none);
            matrix(w, p + "attn_v.weight", type, s.kvDim(), d, 1f / (float) Math.sqrt(d), seed, none);
            if (s.qkvBias()) {
                vector(w, p + "attn_q.bias", s.queryDim(), 0f, 0.1f, seed);
                vector(w, p + "attn_k.bias", s.kvDim(), 0f, 0.1f, seed);
                vector(w, p + "attn_v.bias", s.kvDim(), 0f, 0.1f, seed);
            }
            if (s.qkNorm()) {
                vector(w, p + "attn_q_norm.weight", s.headDim(), 1f, 0.05f, seed);
                vector(w, p + "attn_k_norm.weight", s.headDim(), 1f, 0.05f, seed);
            }
            matrix(w, p + "attn_output.weight", type, d, s.queryDim(), 1f / (float) Math.sqrt(s.queryDim()), seed, none);
            vector(w, p + "ffn_norm.weight", d, 1f, 0.05f, seed);
            matrix(w, p + "ffn_gate.weight", type, s.feedForwardLength(), d, 1f / (float) Math.sqrt(d), seed, none);
            matrix(w, p + "ffn_up.weight", type, s.feedForwardLength(), d, 1f / (float) Math.sqrt(d), seed, none);
            matrix(w, p + "ffn_down.weight", type, d, s.feedForwardLength(),
                    1f / (float) Math.sqrt(s.feedForwardLength()), seed, none);
        }
        return w;
    }

    /** llama.cpp's general.file_type for a model quantized to {@code type}. */
    static int fileType(GgmlType type) {
        return switch (type) {
            case F32 -> 0;
            case F16 -> 1;
            case Q4_0 -> 2;
            case Q4_1 -> 3;
            case Q5_0 -> 8;
            case Q5_1 -> 9;
            case Q8_0 -> 7;
            case Q4_K -> 15;
            case Q5_K -> 17;
            case Q6_K -> 18;
            case BF16 -> 32;
        };
    }

    /** Llama 3.1's rope scaling (factor 32, low/high frequency factors 1 and 4, original context 8192) per frequency. */
    static float[] llama3RopeFactors(int headDim, float theta) {
        double factor = 32, lowFreqFactor = 1, highFreqFactor = 4, oldContext = 8192;
        double lowWavelen = oldContext / lowFreqFactor;
        double highWavelen = oldContext / highFreqFactor;
        float[] f = new float[headDim / 2];
        for (int i = 0; i < f.length; i++) {
            double freq = 1.0 / Math.pow(theta, 2.0 * i / headDim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen) {
                f[i] = 1;
            } else if (wavelen > lowWavelen) {
                f[i] = (float) factor;
            } else {
                double smooth = (oldContext / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                f[i] = (float) (1 / ((1 - smooth) / factor + smooth));
            }
        }
        return f;
    }

    private static GgmlType effectiveType(GgmlType type, int cols) {
        if (cols % type.blockSize() == 0) return type;
        return cols % GgmlType.Q8_0.blockSize() == 0 ? GgmlType.Q8_0 : GgmlType.F32;
    }

    private static void matrix(GgufWriter w, String name, GgmlType type, int rows, int cols, float std, long seed,
                               IntPredicate silentRows) {
        matrix(w, name, type, rows, cols, std, seed, silentRows, false);
    }

    /**
     * Output rows get log-normal norms (a few tokens have much larger rows than the rest): the winning logit then
     * usually stands clear of the runner-up, so greedy decoding rarely sits on a near-tie, where the last-bit
     * rounding differences between two correct engines could pick different tokens.
     */
    static float rowScale(long seed, int row) {
        long z = (seed ^ 0x5DEECE66DL) + row * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        // Box-Muller from two 26-bit uniforms
        double u1 = ((z >>> 38) + 0.5) / (1L << 26), u2 = (((z >>> 12) & ((1L << 26) - 1)) + 0.5) / (1L << 26);
        double gaussian = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        return (float) Math.exp(ROW_SCALE_SIGMA * gaussian - ROW_SCALE_SIGMA * ROW_SCALE_SIGMA);
    }

    private static void matrix(GgufWriter w, String name, GgmlType type, int rows, int cols, float std, long seed,
                               IntPredicate silentRows, boolean peakedRows) {
        GgmlType t = effectiveType(type, cols);
        long tensorSeed = seed * 0x9E3779B97F4A7C15L ^ name.hashCode();
        w.addTensor(name, t, new long[]{cols, rows}, out -> {
            Uniform rnd = new Uniform(tensorSeed, std);
            int rowsPerChunk = Math.max(1, (1 << 20) / cols);
            float[] values = new float[rowsPerChunk * cols];
            byte[] encoded = new byte[(int) t.bytesFor((long) rowsPerChunk * cols)];
            for (int r = 0; r < rows; r += rowsPerChunk) {
                int n = Math.min(rowsPerChunk, rows - r);
                for (int i = 0; i < n; i++) {
                    boolean silent = silentRows.test(r + i);
                    float rowScale = silent ? 0f : peakedRows ? rowScale(seed, r + i) : 1f;
                    for (int c = 0; c < cols; c++) {
                        values[i * cols + c] = rnd.next() * rowScale;
                    }
                }
                float[] chunk = n == rowsPerChunk ? values : java.util.Arrays.copyOf(values, n * cols);
                byte[] bytes = n == rowsPerChunk ? encoded : new byte[(int) t.bytesFor((long) n * cols)];
                WeightEncoder.encode(t, chunk, bytes);
                out.write(bytes);
            }
        });
    }

    private static void vector(GgufWriter w, String name, int n, float mean, float std, long seed) {
        Uniform rnd = new Uniform(seed * 0x9E3779B97F4A7C15L ^ name.hashCode(), std);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = mean + rnd.next();
        w.addTensor(name, GgmlType.F32, new long[]{n}, floats(v));
    }

    private static byte[] floats(float[] v) {
        return WeightEncoder.encode(GgmlType.F32, v);
    }

    /** Uniform values with the given standard deviation, from a fast deterministic generator (SplitMix64). */
    private static final class Uniform {
        private long state;
        private final float halfWidth;

        Uniform(long seed, float std) {
            this.state = seed;
            this.halfWidth = std * (float) Math.sqrt(3);
        }

        float next() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            return ((z >>> 40) * 0x1.0p-24f * 2f - 1f) * halfWidth;
        }
    }

}
