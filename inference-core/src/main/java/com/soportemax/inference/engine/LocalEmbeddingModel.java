package com.soportemax.inference.engine;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An embedding model held in memory: each text becomes its tokens between the model's opening and closing special
 * tokens ({@code [CLS]} ... {@code [SEP]} for BERT; BOS if the vocabulary asks for it ... EOS for a decoder), cut to
 * the context, and goes through the backbone; the pooled vectors are L2-normalised. Calls are served one at a time
 * (the kernels use every thread of the pool), which keeps it thread-safe.
 */
final class LocalEmbeddingModel implements EmbeddingModel {

    /** Tokens run through the encoder in one batch by {@link #embedAll}: enough to share every weight read widely. */
    static final int BATCH_TOKENS = 1024;

    private final GgufFile file;
    private final EmbeddingBackbone backbone;
    private final Tokenizer tokenizer;
    /** Token put before the text, or -1. */
    private final int opening;
    /** Token put after the text, or -1. */
    private final int closing;
    private final KernelPool pool;
    private final ModelInfo info;
    private final int maxTokens;
    private boolean closed;

    LocalEmbeddingModel(GgufFile file, EmbeddingBackbone backbone, Tokenizer tokenizer, int opening, int closing,
                        KernelPool pool, EngineOptions options, ModelInfo modelInfo) {
        this.file = file;
        this.backbone = backbone;
        this.tokenizer = tokenizer;
        this.opening = opening;
        this.closing = closing;
        this.pool = pool;
        int modelContext = backbone.contextLength();
        this.maxTokens = options.contextLength() == 0 ? modelContext : Math.min(options.contextLength(), modelContext);
        this.info = new ModelInfo(modelInfo.name(), modelInfo.architecture(), modelInfo.parameterCount(), maxTokens,
                modelInfo.quantization(), modelInfo.vocabularySize(), modelInfo.templateFamily());
    }

    @Override
    public int dimension() {
        return backbone.dimension();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The token ids the model sees for {@code text}: the opening token, the text's first tokens, the closing one. */
    int[] tokens(String text) {
        int[] body = tokenizer.encode(text);
        int specials = (opening >= 0 ? 1 : 0) + (closing >= 0 ? 1 : 0);
        int keep = Math.min(body.length, Math.max(0, maxTokens - specials));
        if (keep + specials == 0) return new int[]{tokenizer.eosToken() >= 0 ? tokenizer.eosToken() : 0};
        int[] tokens = new int[keep + specials];
        int at = 0;
        if (opening >= 0) tokens[at++] = opening;
        System.arraycopy(body, 0, tokens, at, keep);
        if (closing >= 0) tokens[at + keep] = closing;
        return tokens;
    }

    @Override
    public float[] embed(String text) {
        return run(List.of(tokens(text))).getFirst();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        List<int[]> batch = new ArrayList<>();
        int batchTokens = 0;
        for (String text : texts) {
            int[] tokens = tokens(text);
            if (!batch.isEmpty() && batchTokens + tokens.length > BATCH_TOKENS) {
                vectors.addAll(run(batch));
                batch = new ArrayList<>();
                batchTokens = 0;
            }
            batch.add(tokens);
            batchTokens += tokens.length;
        }
        if (!batch.isEmpty()) vectors.addAll(run(batch));
        return vectors;
    }

    private synchronized List<float[]> run(List<int[]> sequences) {
        if (closed) throw new IllegalStateException("the embedding model " + info.name() + " is closed");
        float[][] pooled = backbone.pooled(sequences, pool);
        List<float[]> vectors = new ArrayList<>(pooled.length);
        for (float[] v : pooled) vectors.add(normalise(v));
        return vectors;
    }

    static float[] normalise(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        float scale = sum > 0 ? (float) (1 / Math.sqrt(sum)) : 0f;
        for (int i = 0; i < v.length; i++) v[i] *= scale;
        return v;
    }

    /** Runs the encoder until its kernels are compiled for the batch sizes of short queries. */
    void warmUp() {
        long deadline = System.nanoTime() + 2_000_000_000L;
        int[] sample = tokens("warm up the encoder with a short question, like a customer's?");
        for (int i = 0; i < 40 && System.nanoTime() < deadline; i++) {
            run(List.of(Arrays.copyOf(sample, Math.max(2, sample.length - i % 8))));
        }
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        pool.close();
        file.close();
    }
}
