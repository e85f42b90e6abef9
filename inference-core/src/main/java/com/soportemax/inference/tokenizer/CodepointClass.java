package com.soportemax.inference.tokenizer;

/**
 * The character classes the pre-tokenizers split on, with llama.cpp's definitions: letters are Unicode L*,
 * numbers N*, whitespace is the Unicode White_Space set, punctuation P*. Every other codepoint, unassigned ones
 * included, is "other": what {@code [^\s\p{L}\p{N}]} matches.
 */
final class CodepointClass {

    static final byte OTHER = 0;
    static final byte LETTER = 1;
    static final byte NUMBER = 2;
    static final byte WHITESPACE = 3;

    private CodepointClass() {
    }

    static byte of(int cp) {
        if (isWhitespace(cp)) return WHITESPACE;
        if (cp < 128) {
            if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return LETTER;
            if (cp >= '0' && cp <= '9') return NUMBER;
            return OTHER;
        }
        return switch (Character.getType(cp)) {
            case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
                 Character.MODIFIER_LETTER, Character.OTHER_LETTER -> LETTER;
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }

    /** Unicode White_Space, which is what llama.cpp's tables and its collapsed-regex path both use. */
    static boolean isWhitespace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || cp == 0x20 || cp == 0x85 || cp == 0xA0 || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F
                || cp == 0x205F || cp == 0x3000;
    }

    /** {@code \p{P}} plus the ASCII symbols GPT-2's default pre-tokenizer adds: {@code $+<=>^~|}. */
    static boolean isPunctuationOrOperator(int cp) {
        if (cp < 128) {
            return switch (cp) {
                case '!', '"', '#', '%', '&', '\'', '(', ')', '*', ',', '-', '.', '/', ':', ';', '?', '@',
                     '[', '\\', ']', '_', '{', '}', '$', '+', '<', '=', '>', '^', '~', '|' -> true;
                default -> false;
            };
        }
        if (isWhitespace(cp)) return false;
        return switch (Character.getType(cp)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                 Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION,
                 Character.FINAL_QUOTE_PUNCTUATION, Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }
}
