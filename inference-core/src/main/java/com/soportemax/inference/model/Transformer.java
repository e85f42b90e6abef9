package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.GgufTensor;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.tensor.FloatOps;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.WeightMatrices;
import com.soportemax.inference.tensor.WeightMatrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights and forward pass of a Llama-family decoder (llama, qwen2, qwen3): RMSNorm, grouped-query attention
 * with RoPE, SwiGLU feed-forward, tied or separate output matrix. Weights stay in the GGUF mapping; only norm and
 * bias vectors are copied. Immutable and shared by all generations; each generation has its own {@link State}.
 *
 * <p>Numerics follow llama.cpp's CPU backend where it matters for token-level agreement: activations are rounded
 * to the weight type's dot-product format ({@link ActivationRounding}), the KV cache holds fp16 values, queries
 * and attention weights are rounded to fp16 before their products with it, and RoPE angles are built by repeated
 * float multiplication.
 */
public final class Transformer {

    /** Prompt tokens processed together, so that each weight block read from memory serves several tokens. */
    public static final int PREFILL_CHUNK = 16;

    private record Layer(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                         float[] bq, float[] bk, float[] bv, float[] qNorm, float[] kNorm, float[] ffnNorm,
                         WeightMatrix gate, WeightMatrix up, WeightMatrix down) {
    }

    private final Configuration config;
    private final WeightMatrix tokenEmbedding;
    private final WeightMatrix output;
    private final float[] outputNorm;
    private final float[] ropeFactors;
    private final Layer[] layers;
    private final Map<GgmlType, Long> parameterCounts;

    private Transformer(Configuration config, WeightMatrix tokenEmbedding, WeightMatrix output, float[] outputNorm,
                        float[] ropeFactors, Layer[] layers, Map<GgmlType, Long> parameterCounts) {
        this.config = config;
        this.tokenEmbedding = tokenEmbedding;
        this.output = output;
        this.outputNorm = outputNorm;
        this.ropeFactors = ropeFactors;
        this.layers = layers;
        this.parameterCounts = parameterCounts;
    }

    /** Binds the weights of a GGUF file; the file must stay open while this transformer is used. */
    public static Transformer load(GgufFile gguf) throws ModelFormatException {
        Configuration c = Configuration.from(gguf);
        Loader l = new Loader(gguf);
        int d = c.embeddingLength();
        WeightMatrix embedding = l.matrix("token_embd.weight", c.vocabularySize(), d);
        WeightMatrix output = gguf.tensor("output.weight").isPresent()
                ? l.matrix("output.weight", c.vocabularySize(), d) : embedding;
        float[] outputNorm = l.vector("output_norm.weight", d);
        float[] ropeFactors = gguf.tensor("rope_freqs.weight").isPresent()
                ? l.vector("rope_freqs.weight", c.ropeDim() / 2) : null;
        boolean qwen3 = c.architecture().equals("qwen3");
        Layer[] layers = new Layer[c.blockCount()];
        for (int i = 0; i < layers.length; i++) {
            String p = "blk." + i + ".";
            boolean bias = gguf.tensor(p + "attn_q.bias").isPresent();
            layers[i] = new Layer(
                    l.vector(p + "attn_norm.weight", d),
                    l.matrix(p + "attn_q.weight", c.queryDim(), d),
                    l.matrix(p + "attn_k.weight", c.kvDim(), d),
                    l.matrix(p + "attn_v.weight", c.kvDim(), d),
                    l.matrix(p + "attn_output.weight", d, c.queryDim()),
                    bias ? l.vector(p + "attn_q.bias", c.queryDim()) : null,
                    bias ? l.vector(p + "attn_k.bias", c.kvDim()) : null,
                    bias ? l.vector(p + "attn_v.bias", c.kvDim()) : null,
                    qwen3 ? l.vector(p + "attn_q_norm.weight", c.headDim()) : null,
                    qwen3 ? l.vector(p + "attn_k_norm.weight", c.headDim()) : null,
                    l.vector(p + "ffn_norm.weight", d),
                    l.matrix(p + "ffn_gate.weight", c.feedForwardLength(), d),
                    l.matrix(p + "ffn_up.weight", c.feedForwardLength(), d),
                    l.matrix(p + "ffn_down.weight", d, c.feedForwardLength()));
        }
        return new Transformer(c, embedding, output, outputNorm, ropeFactors, layers, l.counts);
    }

    public Configuration config() { return config; }

    /** Total weights (parameters) in the file. */
    public long parameterCount() {
        return parameterCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The types of all weights (to warm up their kernels). */
    public java.util.Set<GgmlType> weightTypes() {
        return java.util.EnumSet.copyOf(parameterCounts.keySet());
    }

    /** The weight type holding the most parameters, e.g. Q8_0. */
    public GgmlType dominantType() {
        return parameterCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /** A fresh sequence state whose KV cache holds {@code capacity} tokens. */
    public State newState(int capacity) {
        return new State(config, capacity);
    }

    /**
     * Runs {@code count} tokens starting at {@code state.position()} through the model, in chunks of
     * {@link #PREFILL_CHUNK}, and returns the logits after the last one (the state's own array, valid until the next
     * call).
     */
    public float[] forward(State state, int[] tokens, int offset, int count, KernelPool pool) {
        if (count <= 0) throw new IllegalArgumentException("no tokens to process");
        if (state.position() + count > state.capacity()) {
            throw new IllegalStateException("KV cache full: " + state.position() + " + " + count + " > "
                    + state.capacity());
        }
        for (int done = 0; done < count; ) {
            int n = Math.min(PREFILL_CHUNK, count - done);
            forwardChunk(state, tokens, offset + done, n, pool, done + n == count);
            done += n;
        }
        return state.logits;
    }

    /**
     * Runs {@code count} tokens like {@link #forward} but returns, instead of logits, the last token's hidden state
     * after the output norm (a new array): what llama.cpp pools for decoder embedding models (pooling "last").
     */
    public float[] lastHiddenState(State state, int[] tokens, int offset, int count, KernelPool pool) {
        if (count <= 0) throw new IllegalArgumentException("no tokens to process");
        if (state.position() + count > state.capacity()) {
            throw new IllegalStateException("KV cache full: " + state.position() + " + " + count + " > "
                    + state.capacity());
        }
        int last = 0;
        for (int done = 0; done < count; ) {
            last = Math.min(PREFILL_CHUNK, count - done);
            forwardChunk(state, tokens, offset + done, last, pool, false);
            done += last;
        }
        int d = config.embeddingLength();
        float[] hidden = new float[d];
        FloatOps.rmsNorm(hidden, 0, state.x, (last - 1) * d, outputNorm, 0, d, config.rmsEpsilon());
        return hidden;
    }

    private void forwardChunk(State s, int[] tokens, int offset, int n, KernelPool pool, boolean wantLogits) {
        Configuration c = config;
        int d = c.embeddingLength();
        int pos0 = s.position;
        for (int t = 0; t < n; t++) {
            int token = tokens[offset + t];
            if (token < 0 || token >= c.vocabularySize()) {
                throw new IllegalArgumentException("token id " + token + " outside the vocabulary of "
                        + c.vocabularySize());
            }
            tokenEmbedding.dequantizeRow(token, s.x, t * d);
        }
        ropeTables(s, pos0, n);
        for (int li = 0; li < layers.length; li++) {
            Layer layer = layers[li];
            for (int t = 0; t < n; t++) FloatOps.rmsNorm(s.xb, t * d, s.x, t * d, layer.attnNorm, 0, d, c.rmsEpsilon());
            multiply(s, layer.wq, s.xb, s.q, n, pool, null);
            multiply(s, layer.wk, s.xb, s.k, n, pool, layer.wq);
            multiply(s, layer.wv, s.xb, s.v, n, pool, layer.wk);
            if (layer.bq != null) {
                for (int t = 0; t < n; t++) {
                    FloatOps.add(s.q, t * c.queryDim(), layer.bq, 0, c.queryDim());
                    FloatOps.add(s.k, t * c.kvDim(), layer.bk, 0, c.kvDim());
                    FloatOps.add(s.v, t * c.kvDim(), layer.bv, 0, c.kvDim());
                }
            }
            if (layer.qNorm != null) {
                for (int h = 0; h < n * c.headCount(); h++) {
                    FloatOps.rmsNorm(s.q, h * c.headDim(), s.q, h * c.headDim(), layer.qNorm, 0, c.headDim(), c.rmsEpsilon());
                }
                for (int h = 0; h < n * c.headCountKv(); h++) {
                    FloatOps.rmsNorm(s.k, h * c.headDim(), s.k, h * c.headDim(), layer.kNorm, 0, c.headDim(), c.rmsEpsilon());
                }
            }
            for (int t = 0; t < n; t++) {
                for (int h = 0; h < c.headCount(); h++) rope(s, t, s.q, t * c.queryDim() + h * c.headDim());
                for (int h = 0; h < c.headCountKv(); h++) rope(s, t, s.k, t * c.kvDim() + h * c.headDim());
            }
            // the KV cache and the query are fp16, as in llama.cpp's default F16 cache
            // the cache is transposed (element-major: [kv element][position]) so attention runs along positions
            float[] keys = s.keys[li], values = s.values[li];
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < c.kvDim(); i++) {
                    keys[i * s.capacity + pos0 + t] = toHalf(s.k[t * c.kvDim() + i]);
                    values[i * s.capacity + pos0 + t] = toHalf(s.v[t * c.kvDim() + i]);
                }
            }
            for (int i = 0; i < n * c.queryDim(); i++) s.q[i] = toHalf(s.q[i]);
            attention(s, keys, values, pos0, n, pool);
            multiply(s, layer.wo, s.att, s.xb, n, pool, null);
            FloatOps.add(s.x, 0, s.xb, 0, n * d);

            for (int t = 0; t < n; t++) FloatOps.rmsNorm(s.xb, t * d, s.x, t * d, layer.ffnNorm, 0, d, c.rmsEpsilon());
            multiply(s, layer.gate, s.xb, s.hb, n, pool, null);
            multiply(s, layer.up, s.xb, s.hb2, n, pool, layer.gate);
            FloatOps.siluMul(s.hb, 0, s.hb2, 0, s.hb, 0, n * c.feedForwardLength());
            multiply(s, layer.down, s.hb, s.xb, n, pool, null);
            FloatOps.add(s.x, 0, s.xb, 0, n * d);
        }
        s.position = pos0 + n;
        if (wantLogits) {
            int last = (n - 1) * d;
            FloatOps.rmsNorm(s.xb, 0, s.x, last, outputNorm, 0, d, c.rmsEpsilon());
            multiply(s, output, s.xb, s.logits, 1, pool, null);
        }
    }

    /**
     * out = w * in for {@code n} vectors, the input first rounded to the weight type's dot-product format. When
     * {@code sameInputAs} (the previous matrix applied to the same input) has the same type, its rounding is reused.
     */
    private static void multiply(State s, WeightMatrix w, float[] in, float[] out, int n, KernelPool pool,
                                 WeightMatrix sameInputAs) {
        if (sameInputAs == null || sameInputAs.type() != w.type()) {
            ActivationRounding.apply(w.type(), in, s.rounded, n, w.cols());
        }
        w.multiply(s.rounded, out, n, pool);
    }

    private void attention(State s, float[] keys, float[] values, int pos0, int n, KernelPool pool) {
        Configuration c = config;
        int heads = c.headCount();
        int hd = c.headDim();
        int group = heads / c.headCountKv();
        float scale = (float) (1.0 / Math.sqrt(hd));
        pool.parallelFor(n * heads, (start, end) -> {
            float[] scores = new float[pos0 + n];
            for (int task = start; task < end; task++) {
                int t = task / heads, h = task % heads;
                int length = pos0 + t + 1;
                int kvBase = (h / group) * hd;
                int qOffset = t * c.queryDim() + h * hd;
                int cap = s.capacity;
                Arrays.fill(scores, 0, length, 0f);
                for (int d = 0; d < hd; d++) FloatOps.axpy(s.q[qOffset + d], keys, (kvBase + d) * cap, scores, 0, length);
                float max = Float.NEGATIVE_INFINITY;
                for (int j = 0; j < length; j++) {
                    scores[j] *= scale;
                    max = Math.max(max, scores[j]);
                }
                double sum = 0;
                for (int j = 0; j < length; j++) {
                    float e = (float) Math.exp(scores[j] - max);
                    scores[j] = e;
                    sum += e;
                }
                float inv = (float) (1.0 / sum);
                for (int j = 0; j < length; j++) scores[j] = toHalf(scores[j] * inv);
                for (int d = 0; d < hd; d++) s.att[qOffset + d] = FloatOps.dot(scores, 0, values, (kvBase + d) * cap, length);
            }
        });
    }

    private void ropeTables(State s, int pos0, int n) {
        int pairs = config.ropeDim() / 2;
        float thetaScale = (float) Math.pow(config.ropeTheta(), -2.0f / config.ropeDim());
        for (int t = 0; t < n; t++) {
            float theta = pos0 + t;
            for (int i = 0; i < pairs; i++) {
                float angle = ropeFactors == null ? theta : theta / ropeFactors[i];
                s.cos[t * pairs + i] = (float) Math.cos(angle);
                s.sin[t * pairs + i] = (float) Math.sin(angle);
                theta *= thetaScale;
            }
        }
    }

    private void rope(State s, int t, float[] v, int o) {
        int pairs = config.ropeDim() / 2;
        int table = t * pairs;
        if (config.neoxRope()) {
            for (int i = 0; i < pairs; i++) {
                float x0 = v[o + i], x1 = v[o + i + pairs];
                float cos = s.cos[table + i], sin = s.sin[table + i];
                v[o + i] = x0 * cos - x1 * sin;
                v[o + i + pairs] = x0 * sin + x1 * cos;
            }
        } else {
            for (int i = 0; i < pairs; i++) {
                float x0 = v[o + 2 * i], x1 = v[o + 2 * i + 1];
                float cos = s.cos[table + i], sin = s.sin[table + i];
                v[o + 2 * i] = x0 * cos - x1 * sin;
                v[o + 2 * i + 1] = x0 * sin + x1 * cos;
            }
        }
    }

    private static float toHalf(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }

    /** One sequence: its position, KV cache and scratch buffers. Not thread-safe; one generation owns it. */
    public static final class State {
        private final int capacity;
        private int position;
        final float[][] keys;
        final float[][] values;
        final float[] x, xb, rounded, q, k, v, att, hb, hb2, cos, sin;
        final float[] logits;

        State(Configuration c, int capacity) {
            if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive");
            this.capacity = capacity;
            int b = PREFILL_CHUNK;
            keys = new float[c.blockCount()][capacity * c.kvDim()];
            values = new float[c.blockCount()][capacity * c.kvDim()];
            x = new float[b * c.embeddingLength()];
            xb = new float[b * c.embeddingLength()];
            rounded = new float[b * Math.max(Math.max(c.embeddingLength(), c.feedForwardLength()), c.queryDim())];
            q = new float[b * c.queryDim()];
            k = new float[b * c.kvDim()];
            v = new float[b * c.kvDim()];
            att = new float[b * c.queryDim()];
            hb = new float[b * c.feedForwardLength()];
            hb2 = new float[b * c.feedForwardLength()];
            cos = new float[b * c.ropeDim() / 2];
            sin = new float[b * c.ropeDim() / 2];
            logits = new float[c.vocabularySize()];
        }

        /** How many tokens are in the cache. */
        public int position() { return position; }

        public int capacity() { return capacity; }

        /** Forgets the tokens from {@code position} on (e.g. to reuse a shared prompt prefix). */
        public void rewind(int position) {
            if (position < 0 || position > this.position) throw new IllegalArgumentException("cannot rewind to " + position);
            this.position = position;
        }
    }

    /** Reads tensors with shape checks that name the tensor, and counts parameters per type. */
    private static final class Loader {
        private final GgufFile gguf;
        final Map<GgmlType, Long> counts = new LinkedHashMap<>();

        Loader(GgufFile gguf) {
            this.gguf = gguf;
        }

        WeightMatrix matrix(String name, int rows, int cols) throws ModelFormatException {
            GgufTensor t = gguf.requireTensor(name);
            if (t.cols() != cols || t.rows() != rows) {
                throw new ModelFormatException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                        + " but the metadata implies [" + cols + ", " + rows + "]");
            }
            counts.merge(t.type(), t.elementCount(), Long::sum);
            try {
                return WeightMatrices.of(t.type(), gguf.data(t), rows, cols);
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                throw new ModelFormatException("tensor '" + name + "': " + e.getMessage(), e);
            }
        }

        float[] vector(String name, int n) throws ModelFormatException {
            GgufTensor t = gguf.requireTensor(name);
            if (t.elementCount() != n) {
                throw new ModelFormatException("tensor '" + name + "' has " + t.elementCount() + " values, expected " + n);
            }
            counts.merge(t.type(), t.elementCount(), Long::sum);
            MemorySegment data = gguf.data(t);
            float[] out = new float[n];
            switch (t.type()) {
                case F32 -> MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                        0, out, 0, n);
                case F16 -> {
                    for (int i = 0; i < n; i++) {
                        out[i] = Float.float16ToFloat(data.get(ValueLayout.JAVA_SHORT_UNALIGNED
                                .withOrder(ByteOrder.LITTLE_ENDIAN), 2L * i));
                    }
                }
                default -> throw new ModelFormatException("tensor '" + name + "' must be F32 or F16, is " + t.type());
            }
            return out;
        }
    }
}
