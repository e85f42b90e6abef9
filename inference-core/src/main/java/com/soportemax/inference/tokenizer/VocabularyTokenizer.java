package com.soportemax.inference.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/** What both tokenizer kinds share: the vocabulary, special tokens, and decoding through per-token bytes. */
abstract sealed class VocabularyTokenizer permits ByteLevelBpeTokenizer, SentencePieceTokenizer, WordPieceTokenizer {

    private static final byte[] NO_BYTES = new byte[0];
    /** llama.cpp shows an unknown token as "▅". */
    private static final byte[] UNKNOWN_BYTES = "\u2585".getBytes(StandardCharsets.UTF_8);

    final Vocabulary vocabulary;
    private final byte[][] bytes;

    VocabularyTokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
        this.bytes = new byte[vocabulary.size()][];
        for (int id = 0; id < bytes.length; id++) {
            bytes[id] = switch (vocabulary.type(id)) {
                case Vocabulary.CONTROL, Vocabulary.UNUSED -> NO_BYTES;
                case Vocabulary.UNKNOWN -> UNKNOWN_BYTES;
                case Vocabulary.USER_DEFINED -> vocabulary.text(id).getBytes(StandardCharsets.UTF_8);
                default -> normalTokenBytes(id);
            };
        }
    }

    /** The bytes of a normal (or byte) token, in this tokenizer kind's encoding of the vocabulary. */
    abstract byte[] normalTokenBytes(int id);

    /** Tokenizes one plain-text fragment; {@code afterSpecial} tells whether a special token precedes it. */
    abstract void encodeText(String text, boolean afterSpecial, IntList out);

    public final int vocabularySize() {
        return vocabulary.size();
    }

    public final int[] encode(String text) {
        IntList out = new IntList(Math.max(8, text.length() / 3));
        if (!text.isEmpty()) encodeText(text, true, out);
        return out.toArray();
    }

    public final int[] encode(List<Fragment> fragments) {
        IntList out = new IntList(64);
        boolean afterSpecial = true;
        for (Fragment fragment : fragments) {
            switch (fragment) {
                case Fragment.Text(String text) -> {
                    if (!text.isEmpty()) {
                        encodeText(text, afterSpecial, out);
                        afterSpecial = false;
                    }
                }
                case Fragment.Special(int id) -> {
                    vocabulary.checkId(id);
                    out.add(id);
                    afterSpecial = true;
                }
            }
        }
        return out.toArray();
    }

    public final int[] encodeTrusted(String text) {
        if (text.isEmpty()) return new int[0];
        return encode(vocabulary.splitAtSpecialTokens(text));
    }

    public final boolean addBos() {
        return vocabulary.addBos();
    }

    public final int bosToken() {
        return vocabulary.bos();
    }

    public final int eosToken() {
        return vocabulary.eos();
    }

    public final boolean isEndOfGeneration(int id) {
        return vocabulary.isEndOfGeneration(id);
    }

    public final OptionalInt specialToken(String text) {
        int id = vocabulary.special(text);
        return id < 0 ? OptionalInt.empty() : OptionalInt.of(id);
    }

    public final boolean isControl(int id) {
        return vocabulary.type(id) == Vocabulary.CONTROL;
    }

    public final String tokenText(int id) {
        return vocabulary.text(id);
    }

    public final byte[] tokenBytes(int id) {
        vocabulary.checkId(id);
        byte[] b = bytes[id];
        return b.length == 0 ? b : b.clone();
    }

    public final String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        for (int id : ids) {
            vocabulary.checkId(id);
            out.writeBytes(bytes[id]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** A growable int array. */
    static final class IntList {
        private int[] values;
        private int size;

        IntList(int capacity) {
            values = new int[capacity];
        }

        void add(int value) {
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = value;
        }

        void addAll(int[] more) {
            if (size + more.length > values.length) values = Arrays.copyOf(values, Math.max(size * 2, size + more.length));
            System.arraycopy(more, 0, values, size, more.length);
            size += more.length;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
