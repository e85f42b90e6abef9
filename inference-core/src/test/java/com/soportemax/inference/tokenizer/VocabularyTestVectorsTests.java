package com.soportemax.inference.tokenizer;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.testing.SharedData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vocabularies of real models ({@code ../shared/vocab/}) tokenize llama.cpp's own test texts into the ids
 * llama.cpp's {@code test-tokenizer-0} expects (plain text: no BOS, no special tokens).
 */
class VocabularyTestVectorsTests {

    private static final String SEPARATOR = "\n__ggml_vocab_test__\n";

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"bert-bge", "qwen2", "qwen35", "llama-bpe", "llama-spm", "phi-3", "gpt-2", "command-r"})
    void tokenizesLlamaCppTestTextsAsLlamaCppDoes(String name) throws Exception {
        Path gguf = SharedData.require("vocab/ggml-vocab-" + name + ".gguf");
        Tokenizer tokenizer;
        try (GgufFile file = GgufFile.open(gguf)) {
            tokenizer = Tokenizer.fromMetadata(Map.copyOf(file.metadata()));
        }
        List<String> texts = texts(Path.of(gguf + ".inp"));
        List<String> expected = Files.readAllLines(Path.of(gguf + ".out"), StandardCharsets.UTF_8);
        assertThat(texts).as("one expected line per test text").hasSameSizeAs(expected).hasSizeGreaterThan(40);

        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            int[] want = ids(expected.get(i));
            int[] got = tokenizer.encode(texts.get(i));
            if (!Arrays.equals(want, got)) {
                mismatches.add(ParitySamples.escape(texts.get(i)) + "\n    llama.cpp " + Arrays.toString(want)
                        + "\n    ours      " + Arrays.toString(got));
            }
        }
        System.out.printf("vocabulary %s: %d of %d test texts as llama.cpp%n", name,
                texts.size() - mismatches.size(), texts.size());
        assertThat(mismatches).as("%s: %d of %d texts tokenized differently:%n%s", name, mismatches.size(),
                texts.size(), String.join("\n", mismatches)).isEmpty();
    }

    /** Vocabularies whose tokenizer the engine does not implement: the reason is stated, not hidden. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deepseek-llm", "gemma-4"})
    void refusesVocabulariesItCannotTokenizeWithAClearReason(String name) throws Exception {
        Path gguf = SharedData.require("vocab/ggml-vocab-" + name + ".gguf");
        try (GgufFile file = GgufFile.open(gguf)) {
            Map<String, Object> metadata = Map.copyOf(file.metadata());
            Assumptions.assumeFalse(supported(metadata), name + " is now supported: move it to the passing list");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> Tokenizer.fromMetadata(metadata)))
                    .isInstanceOf(com.soportemax.inference.gguf.ModelFormatException.class)
                    .hasMessageContaining("tokenizer.ggml");
        }
    }

    private static boolean supported(Map<String, Object> metadata) {
        try {
            Tokenizer.fromMetadata(metadata);
            return true;
        } catch (com.soportemax.inference.gguf.ModelFormatException e) {
            System.out.println("unsupported vocabulary: " + e.getMessage());
            return false;
        }
    }

    /** The texts of an {@code .inp} file, split as llama.cpp's {@code test-tokenizer-0} splits them. */
    static List<String> texts(Path inp) throws Exception {
        String raw = Files.readString(inp, StandardCharsets.UTF_8);
        List<String> texts = new ArrayList<>();
        int pos = 0;
        while (pos < raw.length()) {
            int next = raw.indexOf(SEPARATOR, pos);
            if (next < 0) {
                texts.add(raw.substring(pos));
                break;
            }
            texts.add(raw.substring(pos, next));
            pos = next + SEPARATOR.length();
        }
        return texts;
    }

    private static int[] ids(String line) {
        String stripped = line.strip();
        if (stripped.isEmpty()) return new int[0];
        return Arrays.stream(stripped.split(" ")).mapToInt(Integer::parseInt).toArray();
    }
}
