package com.soportemax.inference.tokenizer;

import com.soportemax.inference.gguf.ModelFormatException;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Map;

/**
 * WordPiece ({@code tokenizer.ggml.model = "bert"}), as llama.cpp's WPM tokenizer: the text is lower-cased and its
 * accents stripped (NFD, then marks dropped) when the file asks for it, split at whitespace, and every punctuation
 * character, ASCII symbol and CJK ideograph becomes a word of its own; control characters are dropped. Each word is
 * then covered greedily from the left by the longest vocabulary tokens: the first piece carries the word-start
 * marker "▁" (the GGUF form of a BERT token without "##"), the others are continuations (BERT's "##" pieces, stored
 * without the prefix). A word that cannot be covered becomes the unknown token.
 *
 * <p>{@link #encode(String)} adds neither {@code [CLS]} ({@link #bosToken()}) nor {@code [SEP]}
 * ({@link #separatorToken()}); an encoder puts them around the text.
 */
final class WordPieceTokenizer extends VocabularyTokenizer implements Tokenizer {

    private static final char WORD_START = '\u2581';

    private final boolean lowercase;
    private final boolean stripAccents;
    private final int separator;
    /** Longest token text, in UTF-16 units: no match is looked for beyond it. */
    private final int maxTokenLength;

    private WordPieceTokenizer(Vocabulary vocabulary, boolean lowercase, boolean stripAccents, int separator) {
        super(vocabulary);
        this.lowercase = lowercase;
        this.stripAccents = stripAccents;
        this.separator = separator;
        int max = 1;
        for (int id = 0; id < vocabulary.size(); id++) max = Math.max(max, vocabulary.text(id).length());
        this.maxTokenLength = max;
    }

    /**
     * {@code tokenizer.ggml.normalizer.lowercase} and {@code .strip_accents} choose the normalisation; when the keys
     * are missing, as in files converted before they existed, the text is lower-cased and accents stripped (the
     * uncased BERT normaliser, which those files were made for and llama.cpp applied unconditionally).
     */
    static WordPieceTokenizer fromMetadata(Vocabulary vocabulary, Map<String, Object> metadata)
            throws ModelFormatException {
        if (vocabulary.unknown() < 0) {
            throw new ModelFormatException("tokenizer.ggml.unknown_token_id: a WordPiece vocabulary needs an "
                    + "unknown token for words it cannot cover");
        }
        Boolean lowercaseKey = Metadata.optionalBoolean(metadata, "tokenizer.ggml.normalizer.lowercase");
        boolean lowercase = lowercaseKey == null || lowercaseKey;
        Boolean stripKey = Metadata.optionalBoolean(metadata, "tokenizer.ggml.normalizer.strip_accents");
        boolean stripAccents = stripKey == null ? lowercase : stripKey;
        Long sep = Metadata.optionalLong(metadata, "tokenizer.ggml.seperator_token_id");
        int separator = sep != null ? sep.intValue() : vocabulary.size() > 102 ? 102 : -1;
        if (separator >= vocabulary.size()) separator = -1;
        return new WordPieceTokenizer(vocabulary, lowercase, stripAccents, separator);
    }

    @Override
    public String model() {
        return "bert";
    }

    @Override
    public int separatorToken() {
        return separator;
    }

    @Override
    byte[] normalTokenBytes(int id) {
        return vocabulary.text(id).replace(WORD_START, ' ').getBytes(StandardCharsets.UTF_8);
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        String normalized = stripAccents ? Normalizer.normalize(text, Normalizer.Form.NFD) : text;
        StringBuilder word = new StringBuilder().append(WORD_START);
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (CodepointClass.isWhitespace(cp)) {
                flush(word, out);
                continue;
            }
            int type = Character.getType(cp);
            if (cp == 0 || cp == 0xFFFD || isControlCategory(type)) continue;
            if (stripAccents && isMark(type)) continue;
            int c = lowercase ? Character.toLowerCase(cp) : cp;
            if (isPunctuation(type) || (cp < 0x7F && isSymbol(type)) || isChineseCharacter(cp)) {
                flush(word, out);
                word.appendCodePoint(c);
                flush(word, out);
            } else {
                word.appendCodePoint(c);
            }
        }
        flush(word, out);
    }

    /** Tokenizes the word in {@code word} (after its "▁") and leaves just the "▁" for the next one. */
    private void flush(StringBuilder word, IntList out) {
        int n = word.length();
        if (n == 1) return;
        int[] pieces = new int[n];
        int count = 0;
        for (int i = 0; i < n; ) {
            int found = -1;
            int j = Math.min(n, i + maxTokenLength);
            for (; j > i; j--) {
                found = vocabulary.id(word.substring(i, j));
                if (found >= 0) break;
            }
            if (found < 0) {
                count = 0;
                break;
            }
            pieces[count++] = found;
            i = j;
        }
        if (count == 0) {
            out.add(vocabulary.unknown());
        } else {
            for (int k = 0; k < count; k++) out.add(pieces[k]);
        }
        word.setLength(1);
    }

    private static boolean isControlCategory(int type) {
        return type == Character.CONTROL || type == Character.FORMAT || type == Character.PRIVATE_USE
                || type == Character.SURROGATE;
    }

    private static boolean isMark(int type) {
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    private static boolean isPunctuation(int type) {
        return switch (type) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                 Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    private static boolean isSymbol(int type) {
        return type == Character.MATH_SYMBOL || type == Character.CURRENCY_SYMBOL
                || type == Character.MODIFIER_SYMBOL || type == Character.OTHER_SYMBOL;
    }

    /** The CJK ranges of BERT's (and llama.cpp's) {@code is_chinese_char}. */
    private static boolean isChineseCharacter(int cp) {
        return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x20000 && cp <= 0x2A6DF)
                || (cp >= 0x2A700 && cp <= 0x2B73F) || (cp >= 0x2B740 && cp <= 0x2B81F)
                || (cp >= 0x2B920 && cp <= 0x2CEAF) || (cp >= 0xF900 && cp <= 0xFAFF)
                || (cp >= 0x2F800 && cp <= 0x2FA1F);
    }
}
