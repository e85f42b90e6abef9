package com.soportemax.inference.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class MainTests {

    static Path model;

    record Result(int status, String out, String err) {
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void makeModel() throws Exception {
        model = Files.createTempDirectory("cli").resolve("tiny.gguf");
        Result r = run("make-random", "--shape", "tiny", "--type", "q8_0", "--out", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("tiny", "Q8_0");
    }

    @Test
    void inspectDescribesTheModel() {
        Result r = run("inspect", "--model", model.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("architecture:   llama", "Q8_0", "vocabulary:     4096", "chat template:");
    }

    @Test
    void tokenizePrintsIdsAsJson() {
        Result r = run("tokenize", "--model", model.toString(), "--text", "¿Dónde está mi pedido?", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).matches("\\{\"tokens\":\\[\\d+(,\\d+)*]}");
    }

    @Test
    void generateJsonIsOneObjectWithTokensAndLogprobs() {
        Result r = run("generate", "--model", model.toString(), "--prompt", "Hola", "--raw", "--temperature", "0",
                "--max-tokens", "6", "--json", "--threads", "1");
        assertThat(r.status()).as(r.err()).isZero();
        String json = r.out().strip();
        assertThat(json).startsWith("{\"tokens\":[").contains("\"text\":", "\"logprobs\":[", "\"prompt_tokens\":",
                "\"stop_reason\":\"").endsWith("}");
        Result again = run("generate", "--model", model.toString(), "--prompt", "Hola", "--raw", "--temperature", "0",
                "--max-tokens", "6", "--json", "--threads", "1");
        // greedy decoding repeats itself (log-probabilities may differ in the last digits as the JIT warms up)
        assertThat(again.out().substring(0, again.out().indexOf("\"logprobs\"")))
                .isEqualTo(json.substring(0, json.indexOf("\"logprobs\"")));
    }

    @Test
    void usageErrorsExitWithStatusTwoAndExplain() {
        Result r = run("generate", "--model", model.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--prompt is required", "usage:");
        assertThat(run("frobnicate").err()).contains("unknown command 'frobnicate'");
        assertThat(run("bench", "--model", model.toString(), "--turbo").err()).contains("unknown option '--turbo'");
    }

    @Test
    void aBrokenModelFileIsReportedNotThrown() throws Exception {
        Path bad = model.resolveSibling("bad.gguf");
        Files.writeString(bad, "this is not a model");
        Result r = run("inspect", "--model", bad.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("not a GGUF file");
    }

    @Test
    void benchReportsSpeedsAsJson() {
        Result r = run("bench", "--model", model.toString(), "--prompt-tokens", "16", "--gen-tokens", "4",
                "--threads", "1", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out().strip()).matches("\\{\"prefill_tok_s\":[0-9.e+-]+,\"decode_tok_s\":[0-9.e+-]+,"
                + "\"ttft_s\":[0-9.e+-]+,.*\"peak_heap_mb\":.*}");
    }

    @Test
    void benchWithStreamsReportsTheAggregateDecodeRateAndTimeToFirstToken() {
        Result r = run("bench", "--model", model.toString(), "--prompt-tokens", "8", "--gen-tokens", "24",
                "--threads", "1", "--streams", "3", "--json");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\"aggregate_decode_tok_s\":[0-9.e+]+,")
                .containsPattern("\"ttft_s\":[0-9.e+-]+,").contains("\"streams\":3");
    }
}
