package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.GgufTensor;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.tensor.EncoderOps;
import com.soportemax.inference.tensor.FloatOps;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.WeightMatrix;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The weights and forward pass of a BERT encoder in llama.cpp's {@code bert} GGUF layout: token, token-type (row 0,
 * "sentence A") and learned position embeddings, a layer norm, then per layer bidirectional multi-head attention
 * with biases, a residual and post-attention layer norm, a GELU feed-forward, a residual and output layer norm; the
 * last hidden states are pooled ({@link Pooling#MEAN} or {@link Pooling#CLS}).
 *
 * <p>All tokens of all sequences of a call go through each matrix together (the batched kernels), so every weight
 * read from memory serves every token; attention runs per sequence and head. Activations are rounded to the weight
 * type's dot-product format as ggml does ({@link ActivationRounding}). Immutable and thread-safe.
 */
public final class BertEncoder {

    private record Layer(WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                         float[] bq, float[] bk, float[] bv, float[] bo, float[] attnNorm, float[] attnNormBias,
                         WeightMatrix up, float[] upBias, WeightMatrix down, float[] downBias,
                         float[] outNorm, float[] outNormBias) {
    }

    private final int dim;
    private final int heads;
    private final int feedForward;
    private final int contextLength;
    private final int vocabularySize;
    private final float epsilon;
    private final Pooling pooling;
    private final WeightMatrix tokenEmbedding;
    private final WeightMatrix positionEmbedding;
    private final float[] tokenType;
    private final float[] embedNorm;
    private final float[] embedNormBias;
    private final Layer[] layers;
    private final Map<GgmlType, Long> parameterCounts;

    private BertEncoder(int dim, int heads, int feedForward, int contextLength, int vocabularySize, float epsilon,
                        Pooling pooling, WeightMatrix tokenEmbedding, WeightMatrix positionEmbedding, float[] tokenType,
                        float[] embedNorm, float[] embedNormBias, Layer[] layers, Map<GgmlType, Long> parameterCounts) {
        this.dim = dim;
        this.heads = heads;
        this.feedForward = feedForward;
        this.contextLength = contextLength;
        this.vocabularySize = vocabularySize;
        this.epsilon = epsilon;
        this.pooling = pooling;
        this.tokenEmbedding = tokenEmbedding;
        this.positionEmbedding = positionEmbedding;
        this.tokenType = tokenType;
        this.embedNorm = embedNorm;
        this.embedNormBias = embedNormBias;
        this.layers = layers;
        this.parameterCounts = parameterCounts;
    }

    /** Binds the weights of a {@code bert} GGUF file; the file must stay open while this encoder is used. */
    public static BertEncoder load(GgufFile gguf) throws ModelFormatException {
        String arch = gguf.requireString("general.architecture");
        if (!arch.equals("bert")) {
            throw new ModelFormatException("general.architecture is '" + arch + "', not 'bert'");
        }
        int d = positive(gguf, "bert.embedding_length");
        int blocks = positive(gguf, "bert.block_count");
        int heads = positive(gguf, "bert.attention.head_count");
        int kvHeads = gguf.intOr("bert.attention.head_count_kv", heads);
        if (kvHeads != heads || d % heads != 0) {
            throw new ModelFormatException("bert.attention.head_count " + heads + " must divide the width " + d
                    + " and equal bert.attention.head_count_kv (" + kvHeads + ")");
        }
        int ff = positive(gguf, "bert.feed_forward_length");
        int ctx = positive(gguf, "bert.context_length");
        float eps = gguf.requireFloat("bert.attention.layer_norm_epsilon");
        if (!(eps > 0)) throw new ModelFormatException("bert.attention.layer_norm_epsilon must be positive, was " + eps);
        if (gguf.boolOr("bert.attention.causal", false)) {
            throw new ModelFormatException("bert.attention.causal is true: only bidirectional BERT encoders are supported");
        }
        Pooling pooling = Pooling.from(gguf, arch, Pooling.MEAN);
        if (pooling == Pooling.LAST) {
            throw new ModelFormatException("bert.pooling_type = 3 (last): a BERT encoder pools by mean or [CLS]");
        }
        TensorReader l = new TensorReader(gguf);
        GgufTensor embeddings = gguf.requireTensor("token_embd.weight");
        if (embeddings.rows() > Integer.MAX_VALUE || embeddings.rows() < 1) {
            throw new ModelFormatException("tensor 'token_embd.weight' has an absurd vocabulary of " + embeddings.rows());
        }
        int vocabulary = (int) embeddings.rows();
        WeightMatrix tokenEmbedding = l.matrix("token_embd.weight", vocabulary, d);
        WeightMatrix positions = l.matrix("position_embd.weight", ctx, d);
        float[] tokenType = null;
        if (gguf.tensor("token_types.weight").isPresent()) {
            GgufTensor types = gguf.requireTensor("token_types.weight");
            tokenType = Arrays.copyOf(l.vector("token_types.weight", (int) types.elementCount()), d);
        }
        Layer[] layers = new Layer[blocks];
        for (int i = 0; i < blocks; i++) {
            String p = "blk." + i + ".";
            layers[i] = new Layer(
                    l.matrix(p + "attn_q.weight", d, d), l.matrix(p + "attn_k.weight", d, d),
                    l.matrix(p + "attn_v.weight", d, d), l.matrix(p + "attn_output.weight", d, d),
                    l.optionalVector(p + "attn_q.bias", d), l.optionalVector(p + "attn_k.bias", d),
                    l.optionalVector(p + "attn_v.bias", d), l.optionalVector(p + "attn_output.bias", d),
                    l.vector(p + "attn_output_norm.weight", d), l.vector(p + "attn_output_norm.bias", d),
                    l.matrix(p + "ffn_up.weight", ff, d), l.optionalVector(p + "ffn_up.bias", ff),
                    l.matrix(p + "ffn_down.weight", d, ff), l.optionalVector(p + "ffn_down.bias", d),
                    l.vector(p + "layer_output_norm.weight", d), l.vector(p + "layer_output_norm.bias", d));
        }
        return new BertEncoder(d, heads, ff, ctx, vocabulary, eps, pooling, tokenEmbedding, positions, tokenType,
                l.vector("token_embd_norm.weight", d), l.vector("token_embd_norm.bias", d), layers, l.counts);
    }

    public int dimension() { return dim; }

    /** Most tokens one sequence may have ({@code bert.context_length}, the position embeddings). */
    public int contextLength() { return contextLength; }

    public int vocabularySize() { return vocabularySize; }

    public int blockCount() { return layers.length; }

    public Pooling pooling() { return pooling; }

    public long parameterCount() {
        return parameterCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    public Set<GgmlType> weightTypes() {
        return EnumSet.copyOf(parameterCounts.keySet());
    }

    public GgmlType dominantType() {
        return parameterCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
    }

    /**
     * The pooled (not normalised) embedding of each token sequence, all sequences run as one batch. Each sequence
     * holds its own {@code [CLS]} and {@code [SEP]} and at most {@link #contextLength()} tokens.
     */
    public float[][] embed(List<int[]> sequences, KernelPool pool) {
        int count = sequences.size();
        int[] starts = new int[count + 1];
        for (int s = 0; s < count; s++) {
            int[] tokens = sequences.get(s);
            if (tokens.length == 0) throw new IllegalArgumentException("sequence " + s + " has no tokens");
            if (tokens.length > contextLength) {
                throw new IllegalArgumentException("sequence " + s + " has " + tokens.length + " tokens; the model "
                        + "takes at most " + contextLength);
            }
            starts[s + 1] = starts[s] + tokens.length;
        }
        int n = starts[count];
        int d = dim;
        float[] x = new float[n * d];
        float[] row = new float[d];
        for (int s = 0; s < count; s++) {
            int[] tokens = sequences.get(s);
            for (int t = 0; t < tokens.length; t++) {
                int token = tokens[t];
                if (token < 0 || token >= vocabularySize) {
                    throw new IllegalArgumentException("token id " + token + " outside the vocabulary of " + vocabularySize);
                }
                int o = (starts[s] + t) * d;
                tokenEmbedding.dequantizeRow(token, x, o);
                if (tokenType != null) FloatOps.add(x, o, tokenType, 0, d);
                positionEmbedding.dequantizeRow(t, row, 0);
                FloatOps.add(x, o, row, 0, d);
                EncoderOps.layerNorm(x, o, x, o, embedNorm, embedNormBias, d, epsilon);
            }
        }
        Scratch b = new Scratch(n, d, feedForward);
        for (Layer layer : layers) {
            multiply(layer.wq, layer.bq, x, b.q, n, b, pool, null);
            multiply(layer.wk, layer.bk, x, b.k, n, b, pool, layer.wq);
            multiply(layer.wv, layer.bv, x, b.v, n, b, pool, layer.wk);
            attention(b, starts, pool);
            multiply(layer.wo, layer.bo, b.att, b.out, n, b, pool, null);
            FloatOps.add(x, 0, b.out, 0, n * d);
            for (int t = 0; t < n; t++) EncoderOps.layerNorm(x, t * d, x, t * d, layer.attnNorm, layer.attnNormBias, d, epsilon);
            multiply(layer.up, layer.upBias, x, b.hidden, n, b, pool, null);
            EncoderOps.gelu(b.hidden, 0, n * feedForward);
            multiply(layer.down, layer.downBias, b.hidden, b.out, n, b, pool, null);
            FloatOps.add(x, 0, b.out, 0, n * d);
            for (int t = 0; t < n; t++) EncoderOps.layerNorm(x, t * d, x, t * d, layer.outNorm, layer.outNormBias, d, epsilon);
        }
        float[][] pooled = new float[count][];
        for (int s = 0; s < count; s++) {
            float[] v = new float[d];
            if (pooling == Pooling.CLS) {
                System.arraycopy(x, starts[s] * d, v, 0, d);
            } else {
                for (int t = starts[s]; t < starts[s + 1]; t++) FloatOps.add(v, 0, x, t * d, d);
                FloatOps.scale(v, 0, d, 1f / (starts[s + 1] - starts[s]));
            }
            pooled[s] = v;
        }
        return pooled;
    }

    /** out = w * in (+ bias) for {@code n} vectors; the rounded input of {@code sameInputAs} is reused when it fits. */
    private static void multiply(WeightMatrix w, float[] bias, float[] in, float[] out, int n, Scratch b,
                                 KernelPool pool, WeightMatrix sameInputAs) {
        if (sameInputAs == null || sameInputAs.type() != w.type()) {
            ActivationRounding.apply(w.type(), in, b.rounded, n, w.cols());
        }
        w.multiply(b.rounded, out, n, pool);
        if (bias != null) {
            for (int t = 0; t < n; t++) FloatOps.add(out, t * w.rows(), bias, 0, w.rows());
        }
    }

    /** Every token of a sequence attends to every token of the same sequence, head by head. */
    private void attention(Scratch b, int[] starts, KernelPool pool) {
        int d = dim;
        int hd = d / heads;
        int sequences = starts.length - 1;
        float scale = (float) (1.0 / Math.sqrt(hd));
        pool.parallelFor(sequences * heads, (start, end) -> {
            for (int task = start; task < end; task++) {
                int s = task / heads, h = task % heads;
                int s0 = starts[s], n = starts[s + 1] - s0;
                // keys and values of this head, element-major ([element][token]), so scores and outputs run along tokens
                float[] keys = new float[hd * n];
                float[] values = new float[hd * n];
                for (int t = 0; t < n; t++) {
                    int o = (s0 + t) * d + h * hd;
                    for (int e = 0; e < hd; e++) {
                        keys[e * n + t] = b.k[o + e];
                        values[e * n + t] = b.v[o + e];
                    }
                }
                float[] scores = new float[n];
                for (int t = 0; t < n; t++) {
                    int qo = (s0 + t) * d + h * hd;
                    Arrays.fill(scores, 0f);
                    for (int e = 0; e < hd; e++) FloatOps.axpy(b.q[qo + e] * scale, keys, e * n, scores, 0, n);
                    FloatOps.softmax(scores, 0, n);
                    for (int e = 0; e < hd; e++) b.att[qo + e] = FloatOps.dot(scores, 0, values, e * n, n);
                }
            }
        });
    }

    /** Activations of one call. */
    private static final class Scratch {
        final float[] q, k, v, att, out, hidden, rounded;

        Scratch(int n, int d, int ff) {
            q = new float[n * d];
            k = new float[n * d];
            v = new float[n * d];
            att = new float[n * d];
            out = new float[n * d];
            hidden = new float[n * ff];
            rounded = new float[n * Math.max(d, ff)];
        }
    }

    private static int positive(GgufFile gguf, String key) throws ModelFormatException {
        int v = gguf.requireInt(key);
        if (v <= 0) throw new ModelFormatException("metadata key '" + key + "' must be positive, was " + v);
        return v;
    }
}
