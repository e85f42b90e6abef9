package com.soportemax.inference.tokenizer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our tokenizers give the same ids as llama.cpp (the de.kherud binding's {@code encode}, which recognises special
 * tokens as our {@link Tokenizer#encodeTrusted} does) on the same vocabulary, for every tokenizer kind: byte-level
 * BPE with the qwen2, llama-bpe, smollm, gpt-2 and default pre-tokenizers, and SentencePiece.
 */
class TokenizationParityTests {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen2.5-0.5b", "llama-3.2-1b", "tiny", "gpt-2", "default", "spm", "spm-no-prefix"})
    void tokenizesTextLikeLlamaCpp(String vocabulary) {
        assertParity(vocabulary, ParitySamples.strings(260, vocabulary.hashCode()), true);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen2.5-0.5b", "llama-3.2-1b", "tiny", "gpt-2", "default", "spm"})
    void tokenizesCharacterSoupLikeLlamaCpp(String vocabulary) {
        assertParity(vocabulary, ParitySamples.soup(2000, vocabulary.hashCode()), false);
    }

    /** Word boundaries themselves, made visible by a vocabulary of all byte pairs. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"pairs:qwen2", "pairs:llama-bpe", "pairs:smollm", "pairs:gpt-2", "pairs:default"})
    void splitsCharacterSoupIntoWordsLikeLlamaCpp(String vocabulary) {
        assertParity(vocabulary, ParitySamples.soup(2000, 1), false);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen2.5-0.5b", "llama-3.2-1b", "tiny", "spm"})
    void decodesLikeLlamaCpp(String vocabulary) {
        ReferenceVocabularies.Loaded loaded = ReferenceVocabularies.get(vocabulary);
        List<String> samples = new ArrayList<>(ParitySamples.strings(260, vocabulary.hashCode()));
        samples.addAll(ParitySamples.soup(500, vocabulary.hashCode()));
        for (String text : samples) {
            // plain encoding: no control tokens, which llama.cpp's decode spells out and ours leaves out
            int[] ids = loaded.tokenizer().encode(text);
            assertThat(loaded.tokenizer().decode(ids)).as(ParitySamples.escape(text))
                    .isEqualTo(loaded.llamaCpp().decode(ids));
        }
    }

    private static void assertParity(String vocabulary, List<String> samples, boolean mergesExpected) {
        ReferenceVocabularies.Loaded loaded = ReferenceVocabularies.get(vocabulary);
        List<String> mismatches = new ArrayList<>();
        long bytes = 0;
        long tokens = 0;
        for (String text : samples) {
            int[] expected = loaded.llamaCpp().encode(text);
            int[] actual = loaded.tokenizer().encodeTrusted(text);
            bytes += text.getBytes(StandardCharsets.UTF_8).length;
            tokens += expected.length;
            if (!Arrays.equals(expected, actual)) {
                mismatches.add(ParitySamples.escape(text) + "\n    llama.cpp " + Arrays.toString(expected)
                        + "\n    ours      " + Arrays.toString(actual));
            }
        }
        System.out.printf("tokenization parity %s: %d strings, %d bytes, %d tokens, %d mismatches%n", vocabulary,
                samples.size(), bytes, tokens, mismatches.size());
        assertThat(samples).hasSizeGreaterThanOrEqualTo(200);
        if (mergesExpected) assertThat(tokens).as("merges are exercised").isLessThan(bytes * 7 / 10);
        assertThat(mismatches).as("%s: %d of %d strings tokenized differently; the first:%n%s", vocabulary,
                        mismatches.size(), samples.size(),
                        String.join("\n", mismatches.subList(0, Math.min(8, mismatches.size()))))
                .isEmpty();
    }
}
