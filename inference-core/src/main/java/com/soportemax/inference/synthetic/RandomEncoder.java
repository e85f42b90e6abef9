package com.soportemax.inference.synthetic;

import com.soportemax.inference.gguf.GgufWriter;
import com.soportemax.inference.tensor.GgmlType;

import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * BERT sentence encoders with random weights in llama.cpp's {@code bert} GGUF layout (the tensors and metadata of
 * a converted all-MiniLM-L6-v2 or bge model), and a synthetic WordPiece vocabulary with BERT's special tokens at
 * their usual ids, learnt from the built-in support corpus. Layer norms keep every activation of order one, so the
 * weights need no tuning; queries and keys are scaled so that attention picks out tokens rather than averaging.
 */
public final class RandomEncoder {

    /**
     * The dimensions of a BERT encoder.
     *
     * @param pooling llama.cpp's pooling type: 1 mean, 2 [CLS]
     */
    public record Shape(String name, int embeddingLength, int blockCount, int headCount, int feedForwardLength,
                        int contextLength, int pooling) {

        /** all-MiniLM-L6-v2: 6 layers, width 384, 12 heads, mean pooling. */
        public static final Shape MINILM_L6 = new Shape("minilm-l6", 384, 6, 12, 1536, 512, 1);

        /** A small encoder for quick tests, pooled on [CLS]. */
        public static final Shape TINY_CLS = new Shape("tiny-bert-cls", 128, 2, 4, 512, 128, 2);

        public Shape {
            if (embeddingLength % headCount != 0) throw new IllegalArgumentException("heads must divide the width");
            if (pooling != 1 && pooling != 2) throw new IllegalArgumentException("pooling must be 1 (mean) or 2 (cls)");
        }

        /** The names {@link #named} knows. */
        public static final java.util.Set<String> NAMES = java.util.Set.of("minilm-l6", "bert", "tiny-bert-cls");

        public static Shape named(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "minilm-l6", "bert" -> MINILM_L6;
                case "tiny-bert-cls" -> TINY_CLS;
                default -> throw new IllegalArgumentException("unknown encoder shape '" + name
                        + "' (known: minilm-l6, tiny-bert-cls)");
            };
        }
    }

    private static final float QK_STD = 1.5f;

    private RandomEncoder() {
    }

    /** Writes an encoder of {@code shape} with weight matrices of {@code type} and a synthetic WordPiece vocabulary. */
    public static void write(Shape shape, GgmlType type, long seed, Path out) throws IOException {
        writer(shape, type, wordPieceVocabulary(4000), seed).write(out);
    }

    public static GgufWriter writer(Shape s, GgmlType type, Map<String, Object> vocabulary, long seed) {
        int vocab = ((String[]) vocabulary.get("tokenizer.ggml.tokens")).length;
        int d = s.embeddingLength();
        int ff = s.feedForwardLength();
        GgufWriter w = new GgufWriter();
        w.putString("general.architecture", "bert");
        w.putString("general.name", s.name() + " (random weights)");
        w.put("general.file_type", RandomModel.fileType(type));
        w.put("general.quantization_version", 2);
        w.put("bert.context_length", s.contextLength());
        w.put("bert.embedding_length", d);
        w.put("bert.feed_forward_length", ff);
        w.put("bert.block_count", s.blockCount());
        w.put("bert.attention.head_count", s.headCount());
        w.putFloat32("bert.attention.layer_norm_epsilon", 1e-12f);
        w.put("bert.attention.causal", false);
        w.put("bert.pooling_type", s.pooling());
        w.putAll(vocabulary);

        float rowStd = 1f / (float) Math.sqrt(d);
        matrix(w, "token_embd.weight", type, vocab, d, 1f, seed);
        matrix(w, "position_embd.weight", GgmlType.F32, s.contextLength(), d, 0.5f, seed);
        matrix(w, "token_types.weight", GgmlType.F32, 2, d, 0.1f, seed);
        vector(w, "token_embd_norm.weight", d, 1f, 0.1f, seed);
        vector(w, "token_embd_norm.bias", d, 0f, 0.1f, seed);
        for (int l = 0; l < s.blockCount(); l++) {
            String p = "blk." + l + ".";
            matrix(w, p + "attn_q.weight", type, d, d, QK_STD * rowStd, seed);
            vector(w, p + "attn_q.bias", d, 0f, 0.1f, seed);
            matrix(w, p + "attn_k.weight", type, d, d, QK_STD * rowStd, seed);
            vector(w, p + "attn_k.bias", d, 0f, 0.1f, seed);
            matrix(w, p + "attn_v.weight", type, d, d, rowStd, seed);
            vector(w, p + "attn_v.bias", d, 0f, 0.1f, seed);
            matrix(w, p + "attn_output.weight", type, d, d, rowStd, seed);
            vector(w, p + "attn_output.bias", d, 0f, 0.1f, seed);
            vector(w, p + "attn_output_norm.weight", d, 1f, 0.1f, seed);
            vector(w, p + "attn_output_norm.bias", d, 0f, 0.1f, seed);
            matrix(w, p + "ffn_up.weight", type, ff, d, 2f * rowStd, seed);
            vector(w, p + "ffn_up.bias", ff, 0f, 0.1f, seed);
            matrix(w, p + "ffn_down.weight", type, d, ff, 1f / (float) Math.sqrt(ff), seed);
            vector(w, p + "ffn_down.bias", d, 0f, 0.1f, seed);
            vector(w, p + "layer_output_norm.weight", d, 1f, 0.1f, seed);
            vector(w, p + "layer_output_norm.bias", d, 0f, 0.1f, seed);
        }
        return w;
    }

    /**
     * A WordPiece vocabulary as llama.cpp's converter writes it: {@code [PAD]} 0, {@code [unusedN]} up to 99,
     * {@code [UNK]} 100, {@code [CLS]} 101, {@code [SEP]} 102, {@code [MASK]} 103; then word-start tokens (BERT's
     * plain tokens, stored with a leading "▁") for every single character and the corpus's frequent words, and
     * continuation tokens (BERT's "##" pieces, stored without the prefix) for single characters and frequent word
     * endings, until {@code size} tokens.
     */
    public static Map<String, Object> wordPieceVocabulary(int size) {
        Set<String> tokens = new LinkedHashSet<>();
        tokens.add("[PAD]");
        for (int i = 1; i < 100; i++) tokens.add("[unused" + (i - 1) + "]");
        tokens.addAll(List.of("[UNK]", "[CLS]", "[SEP]", "[MASK]"));
        String singles = "abcdefghijklmnopqrstuvwxyz0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~¿¡€ñç";
        singles.codePoints().forEach(c -> tokens.add("\u2581" + Character.toString(c)));
        "abcdefghijklmnopqrstuvwxyz0123456789ñç".codePoints().forEach(c -> tokens.add(Character.toString(c)));

        Map<String, Integer> words = new HashMap<>();
        Map<String, Integer> endings = new HashMap<>();
        String corpus = Normalizer.normalize(SyntheticVocabulary.corpus().toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}", "");
        for (String word : corpus.split("[^\\p{L}\\p{N}]+")) {
            if (word.length() < 2) continue;
            words.merge(word, 1, Integer::sum);
            for (int k = 2; k <= Math.min(4, word.length() - 1); k++) {
                endings.merge(word.substring(word.length() - k), 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(words.entrySet());
        ranked.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<Map.Entry<String, Integer>> rankedEndings = new ArrayList<>(endings.entrySet());
        rankedEndings.sort(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        int w = 0, e = 0;
        // two words for every ending, until the vocabulary is full or the corpus runs out
        while (tokens.size() < size && (w < ranked.size() || e < rankedEndings.size())) {
            for (int k = 0; k < 2 && w < ranked.size() && tokens.size() < size; k++) {
                tokens.add("\u2581" + ranked.get(w++).getKey());
            }
            if (e < rankedEndings.size() && tokens.size() < size) tokens.add(rankedEndings.get(e++).getKey());
        }
        String[] texts = tokens.toArray(String[]::new);
        int[] types = new int[texts.length];
        Arrays.fill(types, 1);
        for (int id : new int[]{0, 100, 101, 102, 103}) types[id] = 3;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "bert");
        m.put("tokenizer.ggml.tokens", texts);
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.token_type_count", 2);
        m.put("tokenizer.ggml.bos_token_id", 101);
        m.put("tokenizer.ggml.unknown_token_id", 100);
        m.put("tokenizer.ggml.seperator_token_id", 102);
        m.put("tokenizer.ggml.padding_token_id", 0);
        m.put("tokenizer.ggml.mask_token_id", 103);
        m.put("tokenizer.ggml.normalizer.lowercase", true);
        return m;
    }

    private static void matrix(GgufWriter w, String name, GgmlType type, int rows, int cols, float std, long seed) {
        GgmlType t = cols % type.blockSize() == 0 ? type : GgmlType.F32;
        float[] values = new float[rows * cols];
        fill(values, 0f, std, seed, name);
        w.addTensor(name, t, new long[]{cols, rows}, WeightEncoder.encode(t, values));
    }

    private static void vector(GgufWriter w, String name, int n, float mean, float std, long seed) {
        float[] values = new float[n];
        fill(values, mean, std, seed, name);
        w.addTensor(name, GgmlType.F32, new long[]{n}, WeightEncoder.encode(GgmlType.F32, values));
    }

    /** Uniform values of the given mean and standard deviation (SplitMix64, seeded per tensor). */
    private static void fill(float[] values, float mean, float std, long seed, String name) {
        long state = seed * 0x9E3779B97F4A7C15L ^ name.hashCode();
        float halfWidth = std * (float) Math.sqrt(3);
        for (int i = 0; i < values.length; i++) {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            values[i] = mean + ((z >>> 40) * 0x1.0p-24f * 2f - 1f) * halfWidth;
        }
    }
}
