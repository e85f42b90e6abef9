package com.soportemax.inference.testing;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import de.kherud.llama.args.PoolingType;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * llama.cpp (de.kherud:llama) as the reference for sentence embeddings. Each file is loaded once per JVM (its
 * {@code close()} leaks native memory) with embeddings on and the pooling the caller names.
 */
public final class LlamaCppEmbeddings {

    private static final Map<String, LlamaModel> MODELS = new ConcurrentHashMap<>();

    static {
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> { });
    }

    private LlamaCppEmbeddings() {
    }

    /** llama.cpp's embedding of {@code text}, L2-normalised. */
    public static float[] embed(Path gguf, PoolingType pooling, String text) {
        return normalised(model(gguf, pooling).embed(text));
    }

    /** The token ids llama.cpp tokenizes {@code text} into (without the special tokens its embed adds). */
    public static int[] tokens(Path gguf, PoolingType pooling, String text) {
        return model(gguf, pooling).encode(text);
    }

    private static LlamaModel model(Path gguf, PoolingType pooling) {
        return MODELS.computeIfAbsent(gguf.toAbsolutePath() + "|" + pooling, key -> new LlamaModel(
                new ModelParameters().setModel(gguf.toAbsolutePath().toString()).enableEmbedding()
                        .setPoolingType(pooling).setCtxSize(512).setBatchSize(512).setUbatchSize(512)
                        .setThreads(2).setThreadsBatch(2).setGpuLayers(0).setParallel(1).skipWarmup()));
    }

    public static float[] normalised(float[] v) {
        double sum = 0;
        for (float x : v) sum += (double) x * x;
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = (float) (v[i] / Math.sqrt(sum));
        return out;
    }

    public static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
