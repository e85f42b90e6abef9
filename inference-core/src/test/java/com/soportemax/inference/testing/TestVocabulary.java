package com.soportemax.inference.testing;

import java.util.HashMap;
import java.util.Map;

/**
 * A gpt2-style vocabulary for generated test models: the 256 byte tokens, then {@code words} distinct three-letter
 * lowercase tokens, then one control token used as BOS and EOS. Every word decodes to exactly three ASCII letters,
 * so a generated text splits back into token ids unambiguously (llama.cpp's binding yields text, not ids).
 */
public final class TestVocabulary {

    public static final int FIRST_WORD = 256;

    private final int words;

    public TestVocabulary(int words) {
        if (words > 26 * 26 * 26) throw new IllegalArgumentException("at most 17576 words");
        this.words = words;
    }

    public int size() { return FIRST_WORD + words + 1; }

    public int endToken() { return FIRST_WORD + words; }

    /** True for the byte tokens and the control token: give them zero rows so greedy decoding never picks them. */
    public boolean isSilent(int id) { return id < FIRST_WORD || id >= FIRST_WORD + words; }

    public static String word(int index) {
        return "" + (char) ('a' + index / 676) + (char) ('a' + index / 26 % 26) + (char) ('a' + index % 26);
    }

    /** The token ids of a text made only of words. */
    public int[] parse(String text) {
        if (text.length() % 3 != 0) throw new IllegalArgumentException("not a sequence of words: '" + text + "'");
        int[] ids = new int[text.length() / 3];
        for (int i = 0; i < ids.length; i++) {
            int a = text.charAt(3 * i) - 'a', b = text.charAt(3 * i + 1) - 'a', c = text.charAt(3 * i + 2) - 'a';
            if (a < 0 || a > 25 || b < 0 || b > 25 || c < 0 || c > 25) {
                throw new IllegalArgumentException("not a word at " + 3 * i + " in '" + text + "'");
            }
            int index = a * 676 + b * 26 + c;
            if (index >= words) throw new IllegalArgumentException("unknown word in '" + text + "'");
            ids[i] = FIRST_WORD + index;
        }
        return ids;
    }

    public Map<String, Object> metadata(String pre) {
        String[] tokens = new String[size()];
        int[] types = new int[size()];
        for (int b = 0; b < 256; b++) {
            tokens[b] = String.valueOf((char) byteToUnicode(b));
            types[b] = 1;
        }
        for (int i = 0; i < words; i++) {
            tokens[FIRST_WORD + i] = word(i);
            types[FIRST_WORD + i] = 1;
        }
        tokens[endToken()] = "<|endoftext|>";
        types[endToken()] = 3;
        Map<String, Object> m = new HashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", pre);
        m.put("tokenizer.ggml.tokens", tokens);
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.merges", new String[]{"a a"});
        m.put("tokenizer.ggml.bos_token_id", endToken());
        m.put("tokenizer.ggml.eos_token_id", endToken());
        m.put("tokenizer.ggml.add_bos_token", false);
        return m;
    }

    /** GPT-2's byte-to-character map: printable bytes stand for themselves, the rest move to U+0100 and up. */
    static int byteToUnicode(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) return b;
        int n = 0;
        for (int i = 0; i < b; i++) {
            if (!((i >= '!' && i <= '~') || (i >= 0xA1 && i <= 0xAC) || (i >= 0xAE && i <= 0xFF))) n++;
        }
        return 256 + n;
    }
}
