package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.testing.TestVocabulary;
import com.soportemax.inference.tokenizer.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code qwen3} token for token against a current native llama.cpp (its {@code llama-server}, flash attention off
 * for like-for-like numerics): random-weight qwen3 models in F32, Q8_0 and Q4_K, and the trained TinyStories model
 * for a real-weights check. The native build is not in CI: the test runs only when the system property
 * {@code soportemax.llamacpp.bin} names the folder holding {@code llama-server}
 * ({@code inference-core/bench/qwen3-parity.sh} passes it).
 */
class NativeLlamaCppQwen3Tests {

    static final int GENERATED = 32;
    static final TestVocabulary VOCAB = new TestVocabulary(1000);
    // Qwen3's layout in small: per-head Q/K norms, no biases, query heads wider than the model (4 x 128 > 256)
    static final ModelShape QWEN3 = new ModelShape("test-qwen3", "qwen3", VOCAB.size(), 256, 2, 4, 2, 128, 768, 1024,
            1_000_000f, 1e-6f, true, false, true, false);

    static Path server;
    static Path dir;
    static KernelPool pool;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void setUp() throws IOException {
        String bin = System.getProperty("soportemax.llamacpp.bin", "");
        Assumptions.assumeTrue(!bin.isBlank(), "skipped: set -Dsoportemax.llamacpp.bin to a native llama.cpp build's "
                + "bin folder (inference-core/bench/qwen3-parity.sh does)");
        server = Path.of(bin, "llama-server");
        Assumptions.assumeTrue(Files.isExecutable(server), "skipped: no llama-server in " + bin);
        dir = Files.createTempDirectory("qwen3-parity");
        pool = KernelPools.create(2);
    }

    @AfterAll
    static void tearDown() {
        if (pool != null) pool.close();
    }

    static Stream<Arguments> types() {
        return Stream.of(Arguments.of(GgmlType.F32), Arguments.of(GgmlType.Q8_0), Arguments.of(GgmlType.Q4_K));
    }

    @ParameterizedTest(name = "qwen3 {0}")
    @MethodSource("types")
    void greedyQwen3TokensMatchNativeLlamaCpp(GgmlType type) throws Exception {
        Path file = dir.resolve("qwen3-" + type + ".gguf");
        RandomModel.write(QWEN3, type, VOCAB.metadata("qwen2"), 7, VOCAB::isSilent, file);
        List<int[]> prompts = LlamaCppParityTests.prompts();
        compare("qwen3 " + type, file, prompts, 5, -1);
    }

    @ParameterizedTest(name = "tinystories {0}")
    @MethodSource("trained")
    void greedyTinyStoriesTokensMatchNativeLlamaCpp(String name) throws Exception {
        String shared = System.getProperty("soportemax.shared", "");
        Path file = Path.of(shared.isBlank() ? "../shared" : shared, "models", name);
        Assumptions.assumeTrue(Files.isRegularFile(file), "skipped: " + file + " is absent");
        List<int[]> prompts = new ArrayList<>();
        int eos;
        try (GgufFile gguf = GgufFile.open(file)) {
            Tokenizer tokenizer = Tokenizer.fromMetadata(gguf.metadata());
            eos = gguf.metadata().get("tokenizer.ggml.eos_token_id") instanceof Number n ? n.intValue() : -1;
            for (String text : List.of("Once upon a time", "The little dog", "Lily and Ben went to the park.",
                    "One day, a girl named Sue")) {
                int[] ids = tokenizer.encode(text);
                int[] withBos = new int[ids.length + 1];
                withBos[0] = tokenizer.bosToken();
                System.arraycopy(ids, 0, withBos, 1, ids.length);
                prompts.add(withBos);
            }
        }
        // a trained model's greedy path has no near-ties: every prompt must match
        compare("tinystories " + name, file, prompts, prompts.size(), eos);
    }

    static Stream<Arguments> trained() {
        return Stream.of(Arguments.of("tinystories-656k-f32.gguf"), Arguments.of("tinystories-656k-q8_0.gguf"));
    }

    /** @param eos llama.cpp's ignore_eos never picks the end-of-sequence token: excluded here too (-1: none) */
    private void compare(String label, Path file, List<int[]> prompts, int mustBeIdentical, int eos) throws Exception {
        try (GgufFile gguf = GgufFile.open(file); NativeServer reference = new NativeServer(file)) {
            Transformer model = Transformer.load(gguf);
            int identical = 0;
            List<String> nearTies = new ArrayList<>();
            for (int[] prompt : prompts) {
                int[] expected = reference.greedy(prompt, GENERATED);
                int[] actual = greedy(model, prompt, GENERATED, eos);
                if (Arrays.equals(actual, expected)) {
                    identical++;
                    continue;
                }
                // as in LlamaCppParityTests: a divergence is acceptable only where our two candidates nearly tie
                int at = 0;
                while (at < Math.min(actual.length, expected.length) && actual[at] == expected[at]) at++;
                assertThat(at).as("%s: llama.cpp stopped early", label).isLessThan(expected.length);
                int[] context = Arrays.copyOf(prompt, prompt.length + at);
                System.arraycopy(actual, 0, context, prompt.length, at);
                float[] logits = model.forward(model.newState(context.length), context, 0, context.length, pool);
                float ours = logits[actual[at]], theirs = logits[expected[at]];
                assertThat(Math.abs(ours - theirs)).as("%s prompt %s diverges at token %d: %d (%.3f) vs llama.cpp's %d "
                        + "(%.3f), not a near-tie", label, Arrays.toString(prompt), at, actual[at], ours, expected[at],
                        theirs).isLessThan(0.03f * Math.abs(ours));
                nearTies.add("prompt of " + prompt.length + " tokens at token " + at);
            }
            System.out.printf("native parity %s: %d of %d prompts identical for %d tokens; near-tie divergences: %s%n",
                    label, identical, prompts.size(), GENERATED, nearTies);
            assertThat(identical).as("%s: prompts identical to llama.cpp for all %d tokens", label, GENERATED)
                    .isGreaterThanOrEqualTo(mustBeIdentical);
        }
    }

    private static int[] greedy(Transformer model, int[] prompt, int count, int excluded) {
        Transformer.State state = model.newState(prompt.length + count);
        float[] logits = model.forward(state, prompt, 0, prompt.length, pool);
        int[] out = new int[count];
        for (int i = 0; i < count; i++) {
            int best = excluded == 0 ? 1 : 0;
            for (int v = 0; v < logits.length; v++) if (v != excluded && logits[v] > logits[best]) best = v;
            out[i] = best;
            if (i + 1 < count) logits = model.forward(state, new int[]{best}, 0, 1, pool);
        }
        return out;
    }

    /** llama-server on one model file: greedy, flash attention off, no prompt cache, 2 threads. */
    private static final class NativeServer implements AutoCloseable {
        private static final Pattern TOKENS = Pattern.compile("\"tokens\"\\s*:\\s*\\[([0-9,\\s]*)]");
        private final Process process;
        private final int port;

        NativeServer(Path model) throws IOException, InterruptedException {
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            ProcessBuilder pb = new ProcessBuilder(server.toString(), "-m", model.toString(), "--host", "127.0.0.1",
                    "--port", Integer.toString(port), "-t", "2", "-c", "1024", "-np", "1", "-fa", "off",
                    "--no-warmup", "--no-webui")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("llama-server-" + port + ".log").toFile());
            // the build's shared libraries sit beside its binaries
            pb.environment().put("LD_LIBRARY_PATH", server.getParent().toString());
            process = pb.start();
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (true) {
                if (!process.isAlive()) throw new IllegalStateException("llama-server exited; see its log in " + dir);
                try {
                    var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200) return;
                } catch (IOException notYet) {
                    // still starting
                }
                if (System.nanoTime() > deadline) throw new IllegalStateException("llama-server did not start in 2 min");
                Thread.sleep(100);
            }
        }

        int[] greedy(int[] prompt, int count) throws IOException, InterruptedException {
            String body = "{\"prompt\": " + Arrays.toString(prompt) + ", \"n_predict\": " + count
                    + ", \"temperature\": 0, \"top_k\": 1, \"samplers\": [\"top_k\"], \"ignore_eos\": true,"
                    + " \"cache_prompt\": false, \"return_tokens\": true}";
            var r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/completion"))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            Matcher m = TOKENS.matcher(r.body());
            assertThat(m.find()).as("llama-server answered no tokens: %s", r.body()).isTrue();
            return Arrays.stream(m.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
