package com.soportemax.inference.tokenizer;

import com.soportemax.inference.gguf.ModelFormatException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * SentencePiece BPE ({@code tokenizer.ggml.model = "llama"}): spaces become "▁", a space is put in front of the
 * text (and after every special token) when {@code tokenizer.ggml.add_space_prefix} says so, each character starts
 * as a symbol, and the adjacent pair whose concatenation is the token with the highest score is merged first
 * (leftmost on ties). A character that is no token falls back to its UTF-8 bytes as {@code <0xNN>} tokens.
 */
final class SentencePieceTokenizer extends VocabularyTokenizer implements Tokenizer {

    static final char SPACE = '\u2581';

    private final float[] scores;
    private final boolean addSpacePrefix;
    private final int[] byteTokens = new int[256];

    private SentencePieceTokenizer(Vocabulary vocabulary, float[] scores, boolean addSpacePrefix) {
        super(vocabulary);
        this.scores = scores;
        this.addSpacePrefix = addSpacePrefix;
        for (int b = 0; b < 256; b++) {
            int id = vocabulary.id(String.format("<0x%02X>", b));
            if (id < 0) id = vocabulary.id(String.valueOf((char) b));
            byteTokens[b] = id >= 0 ? id : vocabulary.unknown();
        }
    }

    static SentencePieceTokenizer fromMetadata(Vocabulary vocabulary, Map<String, Object> metadata)
            throws ModelFormatException {
        float[] scores = Metadata.optionalFloats(metadata, "tokenizer.ggml.scores");
        if (scores == null) {
            scores = new float[vocabulary.size()];
        } else if (scores.length != vocabulary.size()) {
            throw new ModelFormatException("tokenizer.ggml.scores: " + scores.length + " scores for "
                    + vocabulary.size() + " tokens; the arrays must be the same length");
        }
        Boolean prefix = Metadata.optionalBoolean(metadata, "tokenizer.ggml.add_space_prefix");
        return new SentencePieceTokenizer(vocabulary, scores, prefix == null || prefix);
    }

    @Override
    public String model() {
        return "llama";
    }

    @Override
    byte[] normalTokenBytes(int id) {
        String text = vocabulary.text(id);
        if (vocabulary.type(id) == Vocabulary.BYTE && text.length() == 6 && text.startsWith("<0x") && text.endsWith(">")) {
            return new byte[]{(byte) Integer.parseInt(text.substring(3, 5), 16)};
        }
        return text.replace(SPACE, ' ').getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        String escaped = ((addSpacePrefix && afterSpecial) ? " " + text : text).replace(' ', SPACE);
        int[] codepoints = Utf8.codepoints(escaped);
        int n = codepoints.length;
        if (n == 0) return;
        String[] symbols = new String[n];
        int[] next = new int[n];
        int[] prev = new int[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = Character.toString(codepoints[i]);
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        PriorityQueue<Bigram> queue = new PriorityQueue<>();
        for (int i = 0; i + 1 < n; i++) offer(queue, symbols, i, i + 1);
        while (!queue.isEmpty()) {
            Bigram bigram = queue.poll();
            String left = symbols[bigram.left];
            String right = symbols[bigram.right];
            // stale: one side was merged away or grew since the pair was queued
            if (left == null || right == null || left.length() + right.length() != bigram.length) continue;
            symbols[bigram.left] = left + right;
            symbols[bigram.right] = null;
            next[bigram.left] = next[bigram.right];
            if (next[bigram.right] >= 0) prev[next[bigram.right]] = bigram.left;
            if (prev[bigram.left] >= 0) offer(queue, symbols, prev[bigram.left], bigram.left);
            if (next[bigram.left] >= 0) offer(queue, symbols, bigram.left, next[bigram.left]);
        }
        for (int i = 0; i >= 0; i = next[i]) {
            int id = vocabulary.id(symbols[i]);
            if (id >= 0) {
                out.add(id);
            } else {
                for (byte b : symbols[i].getBytes(StandardCharsets.UTF_8)) {
                    int byteToken = byteTokens[b & 0xFF];
                    if (byteToken >= 0) out.add(byteToken);
                }
            }
        }
    }

    private void offer(PriorityQueue<Bigram> queue, String[] symbols, int left, int right) {
        String text = symbols[left] + symbols[right];
        int id = vocabulary.id(text);
        if (id >= 0) queue.add(new Bigram(left, right, scores[id], text.length()));
    }

    /** A candidate merge; the highest score comes first, then the leftmost. */
    private record Bigram(int left, int right, float score, int length) implements Comparable<Bigram> {
        @Override
        public int compareTo(Bigram other) {
            int byScore = Float.compare(other.score, score);
            return byScore != 0 ? byScore : Integer.compare(left, other.left);
        }
    }
}
