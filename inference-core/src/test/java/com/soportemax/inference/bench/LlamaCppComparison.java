package com.soportemax.inference.bench;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import com.soportemax.inference.testing.PromptIds;
import de.kherud.llama.args.LogFormat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmarks our engine against llama.cpp (de.kherud:llama) on the same GGUF file in the same run: prefill of a
 * prompt of random token ids and greedy decode, several repetitions, medians and ratios. Our engine runs as a child
 * process of the jar's {@code bench} command with a 256 MB heap limit; llama.cpp runs in this JVM (loaded once: its
 * close() leaks native memory) and reports its own timings through its log. Ends with System.exit because the
 * binding's native thread keeps the JVM alive.
 *
 * <p>Arguments: model.gguf inference-core.jar [repetitions=3] [threads=2] [promptTokens=512] [genTokens=128]
 */
public final class LlamaCppComparison {

    private static final Pattern PROMPT_RATE = Pattern.compile("prompt eval time =.*?([0-9.]+) tokens per second");
    private static final Pattern DECODE_RATE = Pattern.compile("^\\s*eval time =.*?([0-9.]+) tokens per second",
            Pattern.MULTILINE);

    private static volatile double llamaPrefill, llamaDecode;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: LlamaCppComparison model.gguf inference-core.jar [repetitions] [threads]"
                    + " [promptTokens] [genTokens]");
            System.exit(2);
        }
        Path model = Path.of(args[0]);
        Path jar = Path.of(args[1]);
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        int promptTokens = args.length > 4 ? Integer.parseInt(args[4]) : 512;
        int genTokens = args.length > 5 ? Integer.parseInt(args[5]) : 128;
        int status = 0;
        try {
            run(model, jar, reps, threads, promptTokens, genTokens);
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }

    private static void run(Path model, Path jar, int reps, int threads, int promptTokens, int genTokens)
            throws Exception {
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {
            Matcher p = PROMPT_RATE.matcher(message);
            if (p.find()) llamaPrefill = Double.parseDouble(p.group(1));
            Matcher d = DECODE_RATE.matcher(message);
            if (d.find()) llamaDecode = Double.parseDouble(d.group(1));
        });
        LlamaModel llama = new LlamaModel(new ModelParameters().setModel(model.toString())
                .setCtxSize(promptTokens + genTokens + 64).setBatchSize(promptTokens).setUbatchSize(promptTokens)
                .setThreads(threads).setThreadsBatch(threads).setGpuLayers(0).setParallel(1));
        // the same prompt ids as our bench command uses
        int[] prompt = new SplittableRandom(1).ints(promptTokens, 0, 100_000).toArray();
        List<double[]> ours = new ArrayList<>(), theirs = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            double[] o = ours(jar, model, threads, promptTokens, genTokens);
            double[] l = llamaCpp(llama, prompt, genTokens);
            ours.add(o);
            theirs.add(l);
            System.out.printf(Locale.ROOT, "%nrun %d: ours prefill %.1f decode %.1f tok/s heap %.0f MB | llama.cpp prefill"
                    + " %.1f decode %.1f tok/s%n", r + 1, o[0], o[1], o[2], l[0], l[1]);
        }
        double op = median(ours, 0), od = median(ours, 1), oh = median(ours, 2);
        double lp = median(theirs, 0), ld = median(theirs, 1);
        System.out.printf(Locale.ROOT, "%nmedians over %d runs (%d-token prompt, %d generated, %d threads):%n", reps,
                promptTokens, genTokens, threads);
        System.out.printf(Locale.ROOT, "  prefill  ours %7.1f tok/s   llama.cpp %7.1f tok/s   ratio %.2f (target >= 0.5)%n",
                op, lp, op / lp);
        System.out.printf(Locale.ROOT, "  decode   ours %7.1f tok/s   llama.cpp %7.1f tok/s   ratio %.2f (target >= 0.9)%n",
                od, ld, od / ld);
        System.out.printf(Locale.ROOT, "  our peak heap %.0f MB (run with -Xmx256m; target < 256)%n", oh);
    }

    private static double[] ours(Path jar, Path model, int threads, int promptTokens, int genTokens)
            throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "--add-modules", "jdk.incubator.vector", "-Xmx256m", "-jar",
                jar.toString(), "bench", "--model", model.toString(), "--prompt-tokens", "" + promptTokens,
                "--gen-tokens", "" + genTokens, "--threads", "" + threads, "--json")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IOException("our bench failed: " + out);
        return new double[]{number(out, "prefill_tok_s"), number(out, "decode_tok_s"), number(out, "peak_heap_mb")};
    }

    private static double number(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([0-9.eE+-]+)").matcher(json);
        if (!m.find()) throw new IllegalStateException("no " + key + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    private static double[] llamaCpp(LlamaModel llama, int[] prompt, int genTokens) {
        llamaPrefill = llamaDecode = Double.NaN;
        InferenceParameters p = PromptIds.of(prompt).setNPredict(genTokens).setTemperature(0f).setTopK(1)
                .setRepeatPenalty(1f).setIgnoreEos(true).setCachePrompt(false).setSeed(1);
        long start = System.nanoTime(), first = 0;
        for (LlamaOutput ignored : llama.generate(p)) {
            if (first == 0) first = System.nanoTime();
        }
        long end = System.nanoTime();
        // llama.cpp's own timings when its log reported them; otherwise wall-clock estimates
        double decode = Double.isNaN(llamaDecode) ? (genTokens - 1) * 1e9 / (end - first) : llamaDecode;
        double prefill = Double.isNaN(llamaPrefill)
                ? prompt.length * 1e9 / (first - start - 1e9 / decode) : llamaPrefill;
        return new double[]{prefill, decode};
    }

    private static double median(List<double[]> rows, int column) {
        double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

}
