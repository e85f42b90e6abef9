package com.soportemax.inference.bench;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.EmbeddingModels;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.testing.LlamaCppEmbeddings;
import de.kherud.llama.args.PoolingType;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Time to embed one short support question, ours against llama.cpp (de.kherud:llama, in this JVM) on the same file
 * in the same run: both warmed up, then the queries alternate between the engines, and the medians and their ratio
 * are printed, with the cosine between the two engines' vectors. Ends with System.exit (the binding's native thread
 * keeps the JVM alive).
 *
 * <p>Arguments: model.gguf [rounds=30] [threads=2]
 */
public final class EmbeddingComparison {

    private static final List<String> QUERIES = List.of(
            "How do I reset my password?",
            "Where is my order?",
            "How much does shipping cost?",
            "Can I return a gift card?",
            "My invoice shows the wrong address, can you fix it?",
            "¿Dónde está mi pedido?");

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int status = 0;
        try (EmbeddingModel ours = EmbeddingModels.load(model, new EngineOptions(threads, 1, 0, 0))) {
            double worst = 1;
            for (String q : QUERIES) {
                worst = Math.min(worst, LlamaCppEmbeddings.cosine(ours.embed(q), LlamaCppEmbeddings.embed(model,
                        PoolingType.MEAN, q)));
            }
            for (int i = 0; i < 20; i++) {
                for (String q : QUERIES) LlamaCppEmbeddings.embed(model, PoolingType.MEAN, q);
            }
            double[] oursMs = new double[rounds * QUERIES.size()];
            double[] theirsMs = new double[rounds * QUERIES.size()];
            int k = 0;
            for (int r = 0; r < rounds; r++) {
                for (String q : QUERIES) {
                    long t0 = System.nanoTime();
                    ours.embed(q);
                    long t1 = System.nanoTime();
                    LlamaCppEmbeddings.embed(model, PoolingType.MEAN, q);
                    long t2 = System.nanoTime();
                    oursMs[k] = (t1 - t0) / 1e6;
                    theirsMs[k++] = (t2 - t1) / 1e6;
                }
            }
            double a = median(oursMs), b = median(theirsMs);
            System.out.printf(Locale.ROOT, "model %s, %d threads, %d short queries (median over %d embeds each)%n",
                    model.getFileName(), threads, QUERIES.size(), rounds * QUERIES.size());
            System.out.printf(Locale.ROOT, "inference-core: median %.2f ms, min %.2f ms%n", a, Arrays.stream(oursMs).min().orElse(0));
            System.out.printf(Locale.ROOT, "llama.cpp:      median %.2f ms, min %.2f ms%n", b, Arrays.stream(theirsMs).min().orElse(0));
            System.out.printf(Locale.ROOT, "ratio (llama.cpp time / ours): %.2f; worst cosine between them %.7f%n", b / a, worst);
        } catch (Exception | Error e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
