package com.soportemax.inference.cli;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.EmbeddingModels;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.ModelInfo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The {@code embed} command: the sentence embedding of a text, and how long it took. With {@code --repetitions N}
 * the text is embedded N more times and the median is reported (the model is warmed up at load, as a service
 * would be); with {@code --batch N}, N copies of it go through {@code embedAll} at once and the time per text is
 * reported too.
 */
final class Embed {

    private static final int SHOWN = 8;

    private Embed() {
    }

    static int run(Arguments a, PrintStream out) throws IOException {
        Path path = Path.of(a.required("--model"));
        String text = a.required("--text");
        int threads = a.integer("--threads", Runtime.getRuntime().availableProcessors());
        int repetitions = a.integer("--repetitions", 1);
        int batch = a.integer("--batch", 1);
        if (threads < 1 || repetitions < 1 || batch < 1) {
            throw new Arguments.UsageException("embed: --threads, --repetitions and --batch must be positive");
        }
        long loadStart = System.nanoTime();
        try (EmbeddingModel model = EmbeddingModels.load(path, new EngineOptions(threads, 1, 0, 0))) {
            double loadMs = (System.nanoTime() - loadStart) / 1e6;
            float[] vector = model.embed(text);
            double[] times = new double[repetitions];
            List<String> texts = Collections.nCopies(batch, text);
            for (int r = 0; r < repetitions; r++) {
                long start = System.nanoTime();
                if (batch == 1) model.embed(text); else model.embedAll(texts);
                times[r] = (System.nanoTime() - start) / 1e6;
            }
            double median = median(times);
            double min = Arrays.stream(times).min().orElse(0);
            double norm = 0;
            for (float v : vector) norm += (double) v * v;
            norm = Math.sqrt(norm);
            ModelInfo info = model.info();
            if (a.flag("--json")) {
                double[] values = new double[vector.length];
                for (int i = 0; i < vector.length; i++) values[i] = vector[i];
                out.println(new Json().put("model", info.name()).put("architecture", info.architecture())
                        .put("dimension", model.dimension()).put("norm", norm).put("median_ms", median)
                        .put("min_ms", min).put("repetitions", repetitions).put("batch", batch)
                        .put("median_ms_per_text", median / batch).put("threads", threads).put("load_ms", loadMs)
                        .put("vector", values));
                return 0;
            }
            int shown = a.flag("--full") ? vector.length : Math.min(SHOWN, vector.length);
            StringBuilder values = new StringBuilder("[");
            for (int i = 0; i < shown; i++) {
                values.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", vector[i]));
            }
            values.append(shown < vector.length ? ", ...]" : "]");
            out.printf(Locale.ROOT, "model:   %s (%s, %s, %d dimensions, loaded in %.0f ms)%n", info.name(),
                    info.architecture(), info.quantization(), model.dimension(), loadMs);
            out.printf(Locale.ROOT, "vector:  %s%n", values);
            out.printf(Locale.ROOT, "norm:    %.6f%n", norm);
            out.printf(Locale.ROOT, "time:    %.2f ms %s(median of %d, min %.2f ms), %d threads%n", median,
                    batch == 1 ? "" : "for " + batch + " texts, " + String.format(Locale.ROOT, "%.2f ms per text ",
                            median / batch), repetitions, min, threads);
            return 0;
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
