package com.soportemax.inference.cli;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.sampling.Sampler;
import com.soportemax.inference.sampling.TokenStatistics;
import com.soportemax.inference.engine.SamplingSettings;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.tensor.WeightMatrices;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Prefill and decode speed on the forward pass the engine runs: a prompt of random token ids processed in prefill
 * chunks, then greedy decoding with the per-token statistics the engine computes (log-probability, top 5,
 * entropy). One short warm-up round lets the JIT compile the kernels first, as a long-running service would have.
 */
final class Bench {

    private Bench() {
    }

    static int run(Arguments a, PrintStream out) throws IOException {
        Path path = Path.of(a.required("--model"));
        int promptTokens = a.integer("--prompt-tokens", 512);
        int genTokens = a.integer("--gen-tokens", 128);
        int threads = a.integer("--threads", Runtime.getRuntime().availableProcessors());
        int repetitions = a.integer("--repetitions", 1);
        if (promptTokens < 1 || genTokens < 1 || threads < 1 || repetitions < 1) {
            throw new Arguments.UsageException("bench: token counts, threads and repetitions must be positive");
        }
        try (GgufFile gguf = GgufFile.open(path); KernelPool pool = KernelPools.create(threads)) {
            Transformer model = Transformer.load(gguf);
            WeightMatrices.warmUp(model.weightTypes(), 5000);
            int vocabulary = model.config().vocabularySize();
            int[] prompt = new SplittableRandom(1).ints(promptTokens, 0, Math.min(vocabulary, 100_000)).toArray();
            run(model, pool, Arrays.copyOf(prompt, Math.min(32, promptTokens)), Math.min(8, genTokens));
            double[] prefill = new double[repetitions], decode = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                double[] speeds = run(model, pool, prompt, genTokens);
                prefill[r] = speeds[0];
                decode[r] = speeds[1];
            }
            double prefillMedian = median(prefill), decodeMedian = median(decode);
            double heap = peakHeapMb();
            if (a.flag("--json")) {
                out.println(new Json().put("prefill_tok_s", prefillMedian).put("decode_tok_s", decodeMedian)
                        .put("peak_heap_mb", heap).put("prompt_tokens", promptTokens).put("gen_tokens", genTokens)
                        .put("threads", threads));
            } else {
                out.printf(Locale.ROOT, "model:    %s (%s, %s)%n", path.getFileName(), model.config().architecture(),
                        model.dominantType());
                out.printf(Locale.ROOT, "prefill:  %.1f tok/s (%d tokens, median of %d)%n", prefillMedian, promptTokens,
                        repetitions);
                out.printf(Locale.ROOT, "decode:   %.1f tok/s (%d tokens)%n", decodeMedian, genTokens);
                out.printf(Locale.ROOT, "heap:     %.0f MB peak%n", heap);
                out.printf(Locale.ROOT, "threads:  %d%n", threads);
            }
        }
        return 0;
    }

    /** Tokens per second of prefill and of decode. */
    private static double[] run(Transformer model, KernelPool pool, int[] prompt, int genTokens) {
        int vocabulary = model.config().vocabularySize();
        Transformer.State state = model.newState(prompt.length + genTokens);
        Sampler sampler = new Sampler(SamplingSettings.GREEDY);
        int[] history = Arrays.copyOf(prompt, prompt.length + genTokens);
        long t0 = System.nanoTime();
        float[] logits = model.forward(state, prompt, 0, prompt.length, pool);
        long t1 = System.nanoTime();
        int count = prompt.length;
        for (int i = 0; i < genTokens; i++) {
            int id = sampler.sample(logits, 0, vocabulary, history, count);
            TokenStatistics.of(logits, 0, vocabulary, id, 5);
            history[count++] = id;
            if (i + 1 < genTokens) logits = model.forward(state, new int[]{id}, 0, 1, pool);
        }
        long t2 = System.nanoTime();
        double decodeSteps = Math.max(1, genTokens - 1);
        return new double[]{prompt.length * 1e9 / (t1 - t0), decodeSteps * 1e9 / (t2 - t1)};
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Sum of the peak usage of the heap memory pools since start (an upper bound of the peak heap in use). */
    static double peakHeapMb() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) peak += p.getPeakUsage().getUsed();
        }
        return peak / (1024.0 * 1024.0);
    }
}
