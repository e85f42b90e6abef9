package com.soportemax.inference.tokenizer;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Qwen3.5's pre-tokenizer differs from Qwen2's only in counting combining marks as letters
 * ({@code [\p{L}\p{M}]+}): a decomposed accent stays inside its word. llama.cpp's test texts for qwen35 do not tell
 * the two apart (their marks never change the ids), so the split itself is checked here.
 */
class Qwen35PreTokenizerTests {

    private static List<String> pieces(String pre, String text) {
        int[] cps = text.codePoints().toArray();
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int end : PreTokenizer.forName(pre).split(cps)) {
            out.add(new String(cps, start, end - start));
            start = end;
        }
        return out;
    }

    @Test
    void keepsADecomposedAccentInsideItsWord() {
        String text = "Cafe\u0301 grati\u0301s";
        assertThat(pieces("qwen35", text)).containsExactly("Cafe\u0301", " grati\u0301s");
        assertThat(pieces("qwen2", text)).containsExactly("Cafe", "\u0301", " grati", "\u0301s");
    }

    @Test
    void splitsEverythingElseAsQwen2Does() {
        String text = "¿Dónde está mi pedido 12345? It's   here!\n\n  ok";
        assertThat(pieces("qwen35", text)).isEqualTo(pieces("qwen2", text));
    }
}
