package com.soportemax.inference.tokenizer;

import com.soportemax.inference.model.ModelShape;
import com.soportemax.inference.model.RandomModel;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.testing.LlamaCpp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our tokenizers give the same ids as llama.cpp (the de.kherud binding's {@code encode}, which recognises special
 * tokens like our {@link Tokenizer#encodeTrusted}) on the same vocabulary, for every tokenizer kind: byte-level BPE
 * with the qwen2, llama-bpe, smollm, gpt-2 and default pre-tokenizers, and SentencePiece. Each vocabulary is put in
 * a minimal model file once; llama.cpp loads each file once per run (it leaks on close).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TokenizationParityTests {

    /** A model just big enough for llama.cpp to load: the tokenizer is what is compared. */
    private static final ModelShape CARRIER = new ModelShape("carrier", "llama", 512, 64, 1, 2, 1, 32, 64, 256,
            10_000f, 1e-5f, true, false, false, false);

    @TempDir
    Path dir;

    @Test
    void qwen2PreTokenizerMatchesLlamaCpp() throws Exception {
        assertParity("qwen2", SyntheticVocabulary.forShape("qwen2.5-0.5b"));
    }

    @Test
    void llama3PreTokenizerMatchesLlamaCpp() throws Exception {
        assertParity("llama-bpe", SyntheticVocabulary.forShape("llama-3.2-1b"));
    }

    @Test
    void smollmPreTokenizerMatchesLlamaCpp() throws Exception {
        assertParity("smollm", SyntheticVocabulary.forShape("tiny"));
    }

    @Test
    void gpt2PreTokenizerMatchesLlamaCpp() throws Exception {
        assertParity("gpt-2", SyntheticVocabulary.gpt2Style(6000, "gpt-2", 7));
    }

    @Test
    void defaultPreTokenizerMatchesLlamaCpp() throws Exception {
        assertParity("default", SyntheticVocabulary.gpt2Style(6000, "default", 8));
    }

    @Test
    void sentencePieceMatchesLlamaCpp() throws Exception {
        assertParity("spm", SyntheticVocabulary.sentencePiece(6000, 9));
    }

    private void assertParity(String name, Map<String, Object> metadata) throws Exception {
        Tokenizer tokenizer = Tokenizer.fromMetadata(metadata);
        Path file = dir.resolve(name + ".gguf");
        RandomModel.write(CARRIER, GgmlType.F32, metadata, 1, id -> false, file);
        var reference = LlamaCpp.model(file, 256);
        List<String> mismatches = new ArrayList<>();
        List<String> samples = ParitySamples.strings(250, name.hashCode());
        long bytes = 0;
        long tokens = 0;
        for (String text : samples) {
            int[] expected = reference.encode(text);
            bytes += text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            tokens += expected.length;
            int[] actual = tokenizer.encodeTrusted(text);
            if (!Arrays.equals(expected, actual)) {
                mismatches.add(ParitySamples.escape(text) + "\n    llama.cpp " + Arrays.toString(expected)
                        + "\n    ours      " + Arrays.toString(actual));
            }
        }
        assertThat(samples).hasSizeGreaterThanOrEqualTo(200);
        System.out.printf("PARITY %s: %d strings, %d bytes, %d tokens, %d mismatches%n", name, samples.size(), bytes,
                tokens, mismatches.size());
        assertThat(mismatches).as("%s: %d of %d strings tokenized differently; first ones:\n%s", name,
                mismatches.size(), samples.size(), String.join("\n", mismatches.subList(0, Math.min(8, mismatches.size()))))
                .isEmpty();
    }
}
