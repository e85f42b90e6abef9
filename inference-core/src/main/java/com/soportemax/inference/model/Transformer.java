package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.tensor.FloatOps;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.Halves;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.PagedAttention;
import com.soportemax.inference.tensor.WeightMatrix;
import com.soportemax.inference.tensor.WeightMatrices;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
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
    public static final int PREFILL_CHUNK = 64;

    private record Layer(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo,
                         float[] bq, float[] bk, float[] bv, float[] qNorm, float[] kNorm, float[] ffnNorm,
                         WeightMatrix gate, WeightMatrix up, WeightMatrix down, WeightMatrix[] qkv,
                         WeightMatrix[] gateUp) {
        Layer(float[] attnNorm, WeightMatrix wq, WeightMatrix wk, WeightMatrix wv, WeightMatrix wo, float[] bq,
              float[] bk, float[] bv, float[] qNorm, float[] kNorm, float[] ffnNorm, WeightMatrix gate,
              WeightMatrix up, WeightMatrix down) {
            this(attnNorm, wq, wk, wv, wo, bq, bk, bv, qNorm, kNorm, ffnNorm, gate, up, down,
                    new WeightMatrix[]{wq, wk, wv}, new WeightMatrix[]{gate, up});
        }
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
        TensorReader l = new TensorReader(gguf);
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

    /** A fresh sequence state whose KV cache holds up to {@code capacity} tokens (pages taken as it grows). */
    public State newState(int capacity) {
        return new State(this, new KvMemory(config), capacity);
    }

    /** Scratch for forward passes of up to {@code maxTokens} tokens, {@code maxLogitRows} of which want logits. */
    public Workspace newWorkspace(int maxTokens, int maxLogitRows) {
        return new Workspace(config, maxTokens, maxLogitRows);
    }

    /**
     * Runs {@code count} tokens starting at {@code state.position()} through the model, in chunks of
     * {@link #PREFILL_CHUNK}, and returns the logits after the last one (the state's own array, valid until the next
     * call). One token is processed as a generated token, more as prompt tokens (see {@link Step}).
     */
    public float[] forward(State state, int[] tokens, int offset, int count, KernelPool pool) {
        if (count <= 0) throw new IllegalArgumentException("no tokens to process");
        if (state.position() + count > state.capacity()) {
            throw new IllegalStateException("KV cache full: " + state.position() + " + " + count + " > "
                    + state.capacity());
        }
        for (int done = 0; done < count; ) {
            int n = Math.min(PREFILL_CHUNK, count - done);
            forward(List.of(new Step(state.sequence, tokens, offset + done, n, count > 1, done + n == count)),
                    state.workspace, pool);
            done += n;
        }
        return state.workspace.logits;
    }

    /**
     * Runs {@code count} tokens like {@link #forward(State, int[], int, int, KernelPool)} but returns, instead of
     * logits, the last token's hidden state after the output norm (a new array): what llama.cpp pools for decoder
     * embedding models (pooling "last").
     */
    public float[] lastHiddenState(State state, int[] tokens, int offset, int count, KernelPool pool) {
        if (count <= 0) throw new IllegalArgumentException("no tokens to process");
        if (state.position() + count > state.capacity()) {
            throw new IllegalStateException("KV cache full: " + state.position() + " + " + count + " > "
                    + state.capacity());
        }
        int last = 0;
        for (int done = 0; done < count; done += last) {
            last = Math.min(PREFILL_CHUNK, count - done);
            forward(List.of(new Step(state.sequence, tokens, offset + done, last, count > 1, false)),
                    state.workspace, pool);
        }
        int d = config.embeddingLength();
        float[] hidden = new float[d];
        FloatOps.rmsNorm(hidden, 0, state.workspace.x, (last - 1) * d, outputNorm, 0, d, config.rmsEpsilon());
        return hidden;
    }

    /**
     * Tokens of one sequence in a forward pass: {@code count} tokens from {@code tokens[offset]}, at the sequence's
     * next positions.
     *
     * @param prompt true for prompt tokens (batched-kernel numerics), false for a generated token fed back
     * @param logits whether the logits after the last of these tokens are wanted
     */
    public record Step(KvSequence sequence, int[] tokens, int offset, int count, boolean prompt, boolean logits) {
        public Step {
            if (count <= 0) throw new IllegalArgumentException("a step needs at least one token");
            java.util.Objects.checkFromIndexSize(offset, count, tokens.length);
        }
    }

    /**
     * One forward pass over the tokens of several sequences (continuous batching): each weight matrix is read once
     * for all of them. Each token's numerics depend only on its own sequence and on whether it is a prompt or a
     * generated token, never on the other sequences in the pass. The logits of the steps that want them land in
     * {@code ws.logits()}, one row of {@code vocabularySize} per such step, in the order of {@code steps}.
     */
    public void forward(List<Step> steps, Workspace ws, KernelPool pool) {
        Configuration c = config;
        int d = c.embeddingLength();
        int n = 0, logitRows = 0;
        for (Step st : steps) {
            n += st.count();
            if (st.logits()) logitRows++;
        }
        if (n > ws.maxTokens) throw new IllegalArgumentException(n + " tokens exceed the workspace's " + ws.maxTokens);
        if (logitRows > ws.maxLogitRows) {
            throw new IllegalArgumentException(logitRows + " logit rows exceed the workspace's " + ws.maxLogitRows);
        }
        // prompt tokens first, then generated ones: the two kinds go to different kernels
        int t = 0, prompt = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (Step st : steps) {
                if (st.prompt() != (pass == 0)) continue;
                for (int i = 0; i < st.count(); i++, t++) {
                    int token = st.tokens()[st.offset() + i];
                    if (token < 0 || token >= c.vocabularySize()) {
                        throw new IllegalArgumentException("token id " + token + " outside the vocabulary of "
                                + c.vocabularySize());
                    }
                    ws.sequenceOf[t] = st.sequence();
                    ws.positionOf[t] = st.sequence().length() + i;
                    tokenEmbedding.dequantizeRow(token, ws.x, t * d);
                }
                if (st.prompt()) prompt += st.count();
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (steps.get(j).sequence() == steps.get(i).sequence()) {
                    throw new IllegalArgumentException("a sequence appears twice in one forward pass");
                }
            }
            steps.get(i).sequence().reserve(steps.get(i).count());
        }
        try {
            layers(ws, n, prompt, pool);
        } finally {
            java.util.Arrays.fill(ws.sequenceOf, 0, n, null);
        }
        // logits: the last token of each step that wants them, always with the generated-token kernel
        int row = 0;
        t = 0;
        int[] lastOf = new int[steps.size()];
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < steps.size(); i++) {
                Step st = steps.get(i);
                if (st.prompt() != (pass == 0)) continue;
                t += st.count();
                lastOf[i] = t - 1;
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            st.sequence().advance(st.count());
            if (st.logits()) {
                FloatOps.rmsNorm(ws.xb, row * d, ws.x, lastOf[i] * d, outputNorm, 0, d, c.rmsEpsilon());
                row++;
            }
        }
        if (row > 0) {
            ActivationRounding.apply(output.type(), ws.xb, ws.rounded, row, d);
            output.multiplyMixed(ws.rounded, ws.logits, 0, row, pool);
        }
    }

    private void layers(Workspace s, int n, int prompt, KernelPool pool) {
        Configuration c = config;
        int d = c.embeddingLength();
        ropeTables(s, n);
        for (int li = 0; li < layers.length; li++) {
            Layer layer = layers[li];
            for (int t = 0; t < n; t++) FloatOps.rmsNorm(s.xb, t * d, s.x, t * d, layer.attnNorm, 0, d, c.rmsEpsilon());
            multiplyTogether(s, s.xb, n, prompt, pool, layer.qkv, s.q, s.k, s.v);
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
            writeKv(s, li, n);
            for (int i = 0; i < n * c.queryDim(); i++) s.q[i] = Halves.round(s.q[i]);
            attention(s, li, n, pool);
            multiply(s, layer.wo, s.att, s.xb, n, prompt, pool, null);
            FloatOps.add(s.x, 0, s.xb, 0, n * d);

            for (int t = 0; t < n; t++) FloatOps.rmsNorm(s.xb, t * d, s.x, t * d, layer.ffnNorm, 0, d, c.rmsEpsilon());
            multiplyTogether(s, s.xb, n, prompt, pool, layer.gateUp, s.hb, s.hb2);
            FloatOps.siluMul(s.hb, 0, s.hb2, 0, s.hb, 0, n * c.feedForwardLength());
            multiply(s, layer.down, s.hb, s.xb, n, prompt, pool, null);
            FloatOps.add(s.x, 0, s.xb, 0, n * d);
        }
    }

    private static final ValueLayout.OfShort HALF = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private void writeKv(Workspace s, int layer, int n) {
        int kvDim = config.kvDim();
        for (int t = 0; t < n; t++) {
            KvSequence seq = s.sequenceOf[t];
            int pos = s.positionOf[t];
            MemorySegment page = seq.pages[pos / PagedAttention.BLOCK_TOKENS];
            KvMemory memory = seq.memory();
            long slot = 2L * (pos % PagedAttention.BLOCK_TOKENS);
            long keys = memory.keyOffset(layer) + slot, values = memory.valueOffset(layer) + slot;
            for (int i = 0; i < kvDim; i++) {
                page.set(HALF, keys + (long) i * PagedAttention.ELEMENT_STRIDE, Float.floatToFloat16(s.k[t * kvDim + i]));
                page.set(HALF, values + (long) i * PagedAttention.ELEMENT_STRIDE, Float.floatToFloat16(s.v[t * kvDim + i]));
            }
        }
    }

    /**
     * out = w * in for {@code n} vectors (the first {@code prompt} prompt tokens), the input first rounded to the
     * weight type's dot-product format. When {@code sameInputAs} (the previous matrix applied to the same input) has
     * the same type, its rounding is reused.
     */
    private static void multiply(Workspace s, WeightMatrix w, float[] in, float[] out, int n, int prompt,
                                 KernelPool pool, WeightMatrix sameInputAs) {
        if (sameInputAs == null || sameInputAs.type() != w.type()) {
            ActivationRounding.apply(w.type(), in, s.rounded, n, w.cols());
        }
        w.multiplyMixed(s.rounded, out, prompt, n, pool);
    }

    /**
     * Several matrices applied to the same input, as one parallel job (one barrier instead of one per matrix) when
     * they share a type, hence one activation rounding.
     */
    private static void multiplyTogether(Workspace s, float[] in, int n, int prompt, KernelPool pool,
                                         WeightMatrix[] matrices, float[]... outs) {
        GgmlType type = matrices[0].type();
        boolean sameType = true;
        for (WeightMatrix w : matrices) {
            sameType &= w.type() == type && w.cols() == matrices[0].cols();
        }
        if (!sameType) {
            for (int i = 0; i < matrices.length; i++) {
                multiply(s, matrices[i], in, outs[i], n, prompt, pool, i == 0 ? null : matrices[i - 1]);
            }
            return;
        }
        ActivationRounding.apply(type, in, s.rounded, n, matrices[0].cols());
        WeightMatrices.multiplyTogether(matrices, s.rounded, outs, prompt, n, pool);
    }

    /**
     * One task per token, KV head and run of up to {@link PagedAttention#HEADS_AT_ONCE} of the query heads that share
     * it: each key and value is converted once for the run.
     */
    private void attention(Workspace s, int layer, int n, KernelPool pool) {
        Configuration c = config;
        int heads = c.headCount();
        int kvHeads = c.headCountKv();
        int hd = c.headDim();
        int group = heads / kvHeads;
        int runs = (group + PagedAttention.HEADS_AT_ONCE - 1) / PagedAttention.HEADS_AT_ONCE;
        float scale = (float) (1.0 / Math.sqrt(hd));
        pool.parallelFor(n * kvHeads * runs, (start, end) -> {
            float[][] scratch = ATTENTION_SCRATCH.get();
            float[] scores = scratch[0];
            for (int task = start; task < end; task++) {
                int t = task / (kvHeads * runs), kv = task / runs % kvHeads, run = task % runs;
                int first = run * PagedAttention.HEADS_AT_ONCE;
                int count = Math.min(PagedAttention.HEADS_AT_ONCE, group - first);
                KvSequence seq = s.sequenceOf[t];
                int length = s.positionOf[t] + 1;
                if (scores.length < PagedAttention.headsScratchFor(length, hd)) {
                    scores = new float[PagedAttention.headsScratchFor(Math.max(2 * length, 256), hd)];
                    scratch[0] = scores;
                }
                KvMemory memory = seq.memory();
                long head = (long) kv * hd * PagedAttention.ELEMENT_STRIDE;
                int qOffset = t * c.queryDim() + (kv * group + first) * hd;
                PagedAttention.attendHeads(seq.pages, memory.keyOffset(layer) + head,
                        memory.valueOffset(layer) + head, length, hd, scale, s.q, qOffset, count, scores, s.att,
                        qOffset);
            }
        });
    }

    /** Per-thread attention scores, grown as sequences grow (one array per kernel thread, not one per task). */
    private static final ThreadLocal<float[][]> ATTENTION_SCRATCH = ThreadLocal.withInitial(() -> new float[][]{new float[0]});

    private void ropeTables(Workspace s, int n) {
        int pairs = config.ropeDim() / 2;
        float thetaScale = (float) Math.pow(config.ropeTheta(), -2.0f / config.ropeDim());
        for (int t = 0; t < n; t++) {
            float theta = s.positionOf[t];
            for (int i = 0; i < pairs; i++) {
                float angle = ropeFactors == null ? theta : theta / ropeFactors[i];
                s.cos[t * pairs + i] = (float) Math.cos(angle);
                s.sin[t * pairs + i] = (float) Math.sin(angle);
                theta *= thetaScale;
            }
        }
    }

    private void rope(Workspace s, int t, float[] v, int o) {
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

    /**
     * Scratch buffers of forward passes: activations of up to {@code maxTokens} tokens and the logits of up to
     * {@code maxLogitRows}. Not thread-safe; one pass at a time.
     */
    public static final class Workspace {
        private final int maxTokens;
        private final int maxLogitRows;
        final float[] x, xb, rounded, q, k, v, att, hb, hb2, cos, sin;
        final float[] logits;
        final KvSequence[] sequenceOf;
        final int[] positionOf;

        Workspace(Configuration c, int maxTokens, int maxLogitRows) {
            if (maxTokens < 1 || maxLogitRows < 1) throw new IllegalArgumentException("workspace sizes must be positive");
            this.maxTokens = maxTokens;
            this.maxLogitRows = maxLogitRows;
            int b = maxTokens;
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
            logits = new float[maxLogitRows * c.vocabularySize()];
            sequenceOf = new KvSequence[b];
            positionOf = new int[b];
        }

        public int maxTokens() { return maxTokens; }

        public int maxLogitRows() { return maxLogitRows; }

        /** The logits of the last pass: row i (of vocabularySize floats) for the i-th step that wanted logits. */
        public float[] logits() { return logits; }
    }

    /** One sequence with its own workspace: the single-caller API (tests, CLI). Not thread-safe. */
    public static final class State {
        private final int capacity;
        final KvSequence sequence;
        final Workspace workspace;

        State(Transformer model, KvMemory memory, int capacity) {
            if (capacity <= 0) throw new IllegalArgumentException("capacity must be positive");
            this.capacity = capacity;
            this.sequence = KvSequence.create(memory, capacity);
            this.workspace = model.newWorkspace(PREFILL_CHUNK, 1);
        }

        /** How many tokens are in the cache. */
        public int position() { return sequence.length(); }

        public int capacity() { return capacity; }

        /** The sequence's KV cache. */
        public KvSequence sequence() { return sequence; }

        /** Forgets the tokens from {@code position} on (e.g. to reuse a shared prompt prefix). */
        public void rewind(int position) {
            if (position < 0 || position > position()) throw new IllegalArgumentException("cannot rewind to " + position);
            sequence.truncate(position);
        }
    }
}
