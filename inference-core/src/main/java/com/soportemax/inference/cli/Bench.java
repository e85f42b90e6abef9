package com.soportemax.inference.cli;

import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.LanguageModels;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.inference.engine.SamplingSettings;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Speed of the engine as callers see it, through {@link LanguageModel#generate}: prompts of random token ids,
 * greedy decoding past end-of-generation tokens. One stream measures prefill and decode; {@code --streams N} starts N
 * generations at once and measures the aggregate decode rate while all N decode together (continuous batching) and
 * the time to each one's first token; {@code --shared-prefix P} measures the time to first token of a second
 * conversation whose first P prompt tokens equal the first's, with the prefix cache and without. A short warm-up
 * lets the JIT compile the kernels first, as a long-running service would have.
 */
final class Bench {

    private Bench() {
    }

    /** One stream's timings: submission, first token, each token. */
    private static final class Stream {
        final long submitted = System.nanoTime();
        final List<Long> tokenTimes = new ArrayList<>();
        Completion completion;
    }

    static int run(Arguments a, PrintStream out) throws IOException {
        Path path = Path.of(a.required("--model"));
        int promptTokens = a.integer("--prompt-tokens", 512);
        int genTokens = a.integer("--gen-tokens", 128);
        int threads = a.integer("--threads", Runtime.getRuntime().availableProcessors());
        int repetitions = a.integer("--repetitions", 1);
        int streams = a.integer("--streams", 1);
        int sharedPrefix = a.integer("--shared-prefix", 0);
        if (promptTokens < 1 || genTokens < 1 || threads < 1 || repetitions < 1 || streams < 1 || sharedPrefix < 0) {
            throw new Arguments.UsageException("bench: token counts, threads, repetitions and streams must be positive");
        }
        if (sharedPrefix >= promptTokens) {
            throw new Arguments.UsageException("bench: --shared-prefix must be smaller than --prompt-tokens");
        }
        int context = promptTokens + genTokens + 16;
        // no prefix cache for prefill and decode figures: every repetition computes its prompt
        EngineOptions options = new EngineOptions(threads, streams, 64, context).withPrefixCache(
                sharedPrefix > 0 ? 1L << 30 : 0);
        try (LanguageModel model = LanguageModels.load(path, options)) {
            int vocabulary = (int) Math.min(model.info().vocabularySize(), 100_000);
            Json json = new Json();
            if (sharedPrefix > 0) {
                sharedPrefix(model, vocabulary, promptTokens, sharedPrefix, repetitions, json, out, a.flag("--json"));
                return 0;
            }
            generateAll(model, List.of(prompt(1, 32, vocabulary, 0, 0)), Math.min(8, genTokens)); // warm-up
            double[] prefill = new double[repetitions], decode = new double[repetitions];
            double[] aggregate = new double[repetitions], ttft = new double[repetitions];
            for (int r = 0; r < repetitions; r++) {
                List<int[]> prompts = new ArrayList<>();
                for (int s = 0; s < streams; s++) prompts.add(prompt(1 + s + 1000L * r, promptTokens, vocabulary, 0, 0));
                List<Stream> results = generateAll(model, prompts, genTokens);
                double[] p = new double[streams], d = new double[streams], t = new double[streams];
                for (int s = 0; s < streams; s++) {
                    Completion c = results.get(s).completion;
                    p[s] = c.prefillTokensPerSecond();
                    d[s] = Math.max(1, c.completionTokens() - 1) * 1e9 / c.decodeTime().toNanos();
                    t[s] = (results.get(s).tokenTimes.getFirst() - results.get(s).submitted) / 1e9;
                }
                prefill[r] = median(p);
                decode[r] = median(d);
                ttft[r] = median(t);
                aggregate[r] = streams == 1 ? decode[r] : aggregateDecode(results);
            }
            double heap = peakHeapMb();
            json.put("prefill_tok_s", median(prefill)).put("decode_tok_s", median(decode));
            if (streams > 1) json.put("aggregate_decode_tok_s", median(aggregate));
            json.put("ttft_s", median(ttft)).put("streams", streams).put("peak_heap_mb", heap)
                    .put("prompt_tokens", promptTokens).put("gen_tokens", genTokens).put("threads", threads);
            if (a.flag("--json")) {
                out.println(json);
            } else {
                out.printf(Locale.ROOT, "model:    %s (%s, %s)%n", path.getFileName(), model.info().architecture(),
                        model.info().quantization());
                out.printf(Locale.ROOT, "prefill:  %.1f tok/s (%d tokens, median of %d)%n", median(prefill),
                        promptTokens, repetitions);
                out.printf(Locale.ROOT, "decode:   %.1f tok/s per stream (%d tokens)%n", median(decode), genTokens);
                if (streams > 1) {
                    out.printf(Locale.ROOT, "aggregate decode: %.1f tok/s over %d streams%n", median(aggregate),
                            streams);
                }
                out.printf(Locale.ROOT, "first token: %.2f s (median over streams)%n", median(ttft));
                out.printf(Locale.ROOT, "heap:     %.0f MB peak%n", heap);
                out.printf(Locale.ROOT, "threads:  %d%n", threads);
            }
        }
        return 0;
    }

    /**
     * Time to first token of a conversation whose first {@code shared} tokens were seen before (a system prompt),
     * against one that shares nothing with what came before.
     */
    private static void sharedPrefix(LanguageModel model, int vocabulary, int promptTokens, int shared,
                                     int repetitions, Json json, PrintStream out, boolean asJson) {
        generateAll(model, List.of(prompt(1, 32, vocabulary, 0, 0)), 4); // warm-up
        double[] cold = new double[repetitions], cached = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            long system = 500L + r;
            // without: a prompt that shares nothing with earlier ones
            cold[r] = ttft(model, prompt(900L + r, promptTokens, vocabulary, 0, 0));
            // with: a first conversation leaves the system prompt in the cache, a second one starts from it
            ttft(model, prompt(700L + r, promptTokens, vocabulary, system, shared));
            cached[r] = ttft(model, prompt(800L + r, promptTokens, vocabulary, system, shared));
        }
        json.put("ttft_without_cache_s", median(cold)).put("ttft_s", median(cached))
                .put("ttft_ratio", median(cached) / median(cold)).put("shared_prefix_tokens", shared)
                .put("prompt_tokens", promptTokens).put("peak_heap_mb", peakHeapMb());
        if (asJson) {
            out.println(json);
        } else {
            out.printf(Locale.ROOT, "first token, %d-token prompt: %.3f s without a cached prefix, %.3f s when its "
                            + "first %d tokens are cached (%.2fx)%n", promptTokens, median(cold), median(cached),
                    shared, median(cached) / median(cold));
        }
    }

    private static double ttft(LanguageModel model, int[] prompt) {
        Stream s = generateAll(model, List.of(prompt), 1).getFirst();
        return (s.tokenTimes.getFirst() - s.submitted) / 1e9;
    }

    /** Random ids; the first {@code shared} of them drawn from {@code sharedSeed} (a prefix common to prompts). */
    private static int[] prompt(long seed, int length, int vocabulary, long sharedSeed, int shared) {
        int[] ids = new SplittableRandom(seed).ints(length, 0, vocabulary).toArray();
        if (shared > 0) System.arraycopy(new SplittableRandom(sharedSeed).ints(shared, 0, vocabulary).toArray(), 0,
                ids, 0, shared);
        return ids;
    }

    private static List<Stream> generateAll(LanguageModel model, List<int[]> prompts, int genTokens) {
        List<Stream> streams = new ArrayList<>();
        List<CompletableFuture<Completion>> futures = new ArrayList<>();
        for (int[] p : prompts) {
            Stream s = new Stream();
            streams.add(s);
            GenerationRequest request = new GenerationRequest(Prompt.tokens(p), SamplingSettings.GREEDY, genTokens,
                    List.of(), Duration.ofHours(1)).ignoringEndOfGeneration();
            futures.add(model.generate(request, t -> s.tokenTimes.add(System.nanoTime())));
        }
        try {
            for (int i = 0; i < streams.size(); i++) streams.get(i).completion = futures.get(i).get(1, TimeUnit.HOURS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the benchmark's generation failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException | TimeoutException e) {
            throw new IllegalStateException("the benchmark was interrupted", e);
        }
        return streams;
    }

    /**
     * Tokens per second over the window in which every stream was decoding (from the last stream's first token to
     * the first stream's last), as llama-batched-bench's generation figure counts all sequences decoding together.
     */
    static double aggregateDecode(List<Stream> streams) {
        long from = Long.MIN_VALUE, to = Long.MAX_VALUE;
        for (Stream s : streams) {
            from = Math.max(from, s.tokenTimes.getFirst());
            to = Math.min(to, s.tokenTimes.getLast());
        }
        if (to <= from) return Double.NaN;
        long tokens = 0;
        for (Stream s : streams) {
            for (long t : s.tokenTimes) if (t > from && t <= to) tokens++;
        }
        return tokens * 1e9 / (to - from);
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
