package com.soportemax.inference.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code make-random} writes encoders and {@code embed} prints a text's vector, its norm and the time. */
class EmbedCommandTests {

    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void embedsATextWithARandomEncoderItWrote() {
        String model = dir.resolve("encoder.gguf").toString();
        Run written = run("make-random", "--shape", "tiny-bert-cls", "--type", "q8_0", "--out", model);
        assertThat(written.status()).as(written.err()).isZero();
        assertThat(written.out()).contains("tiny-bert-cls");

        Run text = run("embed", "--model", model, "--text", "¿Dónde está mi pedido?", "--threads", "1",
                "--repetitions", "3");
        assertThat(text.status()).as(text.err()).isZero();
        assertThat(text.out()).contains("128 dimensions").contains("norm:    1.000000").contains("median of 3");

        Run json = run("embed", "--model", model, "--text", "hola", "--threads", "1", "--batch", "4", "--json");
        assertThat(json.status()).as(json.err()).isZero();
        Matcher vector = Pattern.compile("\"vector\":\\[([^]]*)]").matcher(json.out());
        assertThat(vector.find()).as(json.out()).isTrue();
        String[] values = vector.group(1).split(",");
        assertThat(values).hasSize(128);
        double norm = 0;
        for (String v : values) norm += Double.parseDouble(v) * Double.parseDouble(v);
        assertThat(norm).isCloseTo(1, within(1e-4));
        assertThat(json.out()).contains("\"batch\":4").contains("\"dimension\":128");
    }

    @Test
    void refusesAChatModelWithAClearMessage() {
        String model = dir.resolve("chat.gguf").toString();
        assertThat(run("make-random", "--shape", "tiny", "--type", "f32", "--out", model).status()).isZero();
        Run embed = run("embed", "--model", model, "--text", "hola");
        assertThat(embed.status()).isEqualTo(1);
        assertThat(embed.err()).contains("not an embedding model");
    }

    @Test
    void saysWhatIsMissing() {
        Run embed = run("embed", "--text", "hola");
        assertThat(embed.status()).isEqualTo(2);
        assertThat(embed.err()).contains("--model is required");
    }
}
