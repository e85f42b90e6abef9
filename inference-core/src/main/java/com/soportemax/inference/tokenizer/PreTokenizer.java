package com.soportemax.inference.tokenizer;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Splits text into the words that byte-level BPE merges within, as llama.cpp does for each
 * {@code tokenizer.ggml.pre}. A pre-tokenizer is a chain of splitters; each splits every piece the previous one
 * produced, and text between two matches of a splitter is a piece of its own.
 *
 * <p>The splitters are hand-written equivalents of the split regexes of the original tokenizers:
 * <ul>
 * <li>GPT-2: {@code 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+}</li>
 * <li>Llama 3 / Qwen2: {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+}
 * (Qwen2 takes digits one at a time: {@code \p{N}})</li>
 * </ul>
 * A splitter never looks past the end of the piece it splits, as llama.cpp's do not.
 */
public enum PreTokenizer {

    /** llama.cpp's "default" (also used when the key is missing). */
    DEFAULT(false, Splitter.PUNCTUATION_RUNS, Splitter.GPT2_WORDS, Splitter.NUMBER_RUNS, Splitter.DIGIT_TRIPLES),
    GPT2(false, Splitter.GPT2_WORDS),
    /** Llama 3: a word that is already a token is not merged further ("ignore_merges"). */
    LLAMA3(true, Splitter.LLAMA3_WORDS),
    QWEN2(false, Splitter.QWEN2_WORDS),
    /** Qwen3.5: Qwen2's words, with combining marks ({@code \p{M}}) counted as letters. */
    QWEN35(false, true, Splitter.QWEN2_WORDS),
    SMOLLM(false, Splitter.EACH_NUMBER, Splitter.GPT2_WORDS);

    private final boolean ignoreMerges;
    private final boolean marksAreLetters;
    private final List<Splitter> splitters;

    PreTokenizer(boolean ignoreMerges, Splitter... splitters) {
        this(ignoreMerges, false, splitters);
    }

    PreTokenizer(boolean ignoreMerges, boolean marksAreLetters, Splitter... splitters) {
        this.ignoreMerges = ignoreMerges;
        this.marksAreLetters = marksAreLetters;
        this.splitters = List.of(splitters);
    }

    /** The pre-tokenizer llama.cpp uses for a {@code tokenizer.ggml.pre} value, or null when it knows none. */
    public static PreTokenizer forName(String name) {
        if (name == null || name.isEmpty()) return DEFAULT;
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "default" -> DEFAULT;
            case "llama3", "llama-v3", "llama-bpe", "falcon3" -> LLAMA3;
            case "gpt-2", "phi-2", "jina-es", "jina-de", "jina-v1-en", "jina-v2-es", "jina-v2-de", "jina-v2-code",
                 "roberta-bpe", "mpt", "olmo", "jais" -> GPT2;
            case "qwen2", "deepseek-r1-qwen", "stablelm2" -> QWEN2;
            case "qwen35" -> QWEN35;
            case "smollm", "starcoder", "refact", "command-r", "codeshell", "exaone", "minerva" -> SMOLLM;
            default -> null;
        };
    }

    private static boolean isMark(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK;
    }

    /** Whether a whole word found in the vocabulary is taken as one token without merging (llama.cpp: Llama 3). */
    boolean ignoresMerges() {
        return ignoreMerges;
    }

    /** Splits {@code text} into pieces; the result holds each piece's end offset, in codepoints. */
    public int[] split(int[] codepoints) {
        byte[] classes = new byte[codepoints.length];
        for (int i = 0; i < codepoints.length; i++) {
            classes[i] = marksAreLetters && isMark(codepoints[i]) ? CodepointClass.LETTER : CodepointClass.of(codepoints[i]);
        }
        int[] ends = {codepoints.length};
        int count = codepoints.length == 0 ? 0 : 1;
        for (Splitter splitter : splitters) {
            Ends out = new Ends(Math.max(16, count * 2));
            int start = 0;
            for (int i = 0; i < count; i++) {
                splitter.split(codepoints, classes, start, ends[i], out);
                start = ends[i];
            }
            ends = out.values;
            count = out.size;
        }
        return Arrays.copyOf(ends, count);
    }

    /** End offsets of pieces, growing as they are added. */
    static final class Ends {
        int[] values;
        int size;

        Ends(int capacity) {
            values = new int[capacity];
        }

        /** Ends the current piece at {@code end}; an empty piece is not added. */
        void add(int end) {
            if (end <= (size > 0 ? values[size - 1] : 0)) return;
            if (size == values.length) values = Arrays.copyOf(values, size * 2);
            values[size++] = end;
        }
    }

    enum Splitter {
        GPT2_WORDS {
            @Override
            void split(int[] cps, byte[] cls, int start, int end, Ends out) {
                int pos = start;
                while (pos < end) {
                    int cp = cps[pos];
                    int contraction = contraction(cps, pos, end, false);
                    if (contraction > 0) {
                        pos += contraction;
                        out.add(pos);
                        continue;
                    }
                    byte c2 = cp == ' ' ? classAt(cls, pos + 1, end) : cls[pos];
                    if (c2 == CodepointClass.LETTER || c2 == CodepointClass.NUMBER || c2 == CodepointClass.OTHER) {
                        if (cp == ' ') pos++;
                        while (classAt(cls, pos, end) == c2) pos++;
                        out.add(pos);
                        continue;
                    }
                    pos = whitespace(cps, cls, pos, end, false);
                    out.add(pos);
                }
                out.add(end);
            }
        },
        LLAMA3_WORDS {
            @Override
            void split(int[] cps, byte[] cls, int start, int end, Ends out) {
                llamaWords(cps, cls, start, end, out, 3);
            }
        },
        QWEN2_WORDS {
            @Override
            void split(int[] cps, byte[] cls, int start, int end, Ends out) {
                llamaWords(cps, cls, start, end, out, 1);
            }
        },
        /** {@code \p{N}}: every number character alone. */
        EACH_NUMBER {
            @Override
            void split(int[] cps, byte[] cls, int start, int end, Ends out) {
                for (int pos = start; pos < end; pos++) {
                    if (cls[pos] == CodepointClass.NUMBER) {
                        out.add(pos);
                        out.add(pos + 1);
                    }
                }
                out.add(end);
            }
        },
        /** {@code \p{N}+}. */
        NUMBER_RUNS {
            @Override
            void split(int[] cps, byte[] cls, int start, int end, Ends out) {
                int pos = start;
                while (pos < end) {
                    if (cls[pos] != CodepointClass.NUMBER) {
                        pos++;
                        continue;
                    }
                    out.add(pos);
                    while (pos < end && cls[pos] == CodepointClass.NUMBER) pos++;
                    out.add(pos);
                }
                out.add(end);
            }
        },
        /** {@code [\p{P}\$\+<=>\^~\|]+}. */
        PUNCTUATION_RUNS {
            @Override
            void split(int[] cps, byte[] cls, int start, int end, Ends out) {
                int pos = start;
                while (pos < end) {
                    if (!CodepointClass.isPunctuationOrOperator(cps[pos])) {
                        pos++;
                        continue;
                    }
                    out.add(pos);
                    while (pos < end && CodepointClass.isPunctuationOrOperator(cps[pos])) pos++;
                    out.add(pos);
                }
                out.add(end);
            }
        },
        /** {@code [0-9][0-9][0-9]}. */
        DIGIT_TRIPLES {
            @Override
            void split(int[] cps, byte[] cls, int start, int end, Ends out) {
                int pos = start;
                while (pos + 2 < end) {
                    if (isAsciiDigit(cps[pos]) && isAsciiDigit(cps[pos + 1]) && isAsciiDigit(cps[pos + 2])) {
                        out.add(pos);
                        pos += 3;
                        out.add(pos);
                    } else {
                        pos++;
                    }
                }
                out.add(end);
            }
        };

        abstract void split(int[] codepoints, byte[] classes, int start, int end, Ends out);

        private static boolean isAsciiDigit(int cp) {
            return cp >= '0' && cp <= '9';
        }

        /** The class at {@code pos}, or -1 past the end of the piece. */
        private static byte classAt(byte[] cls, int pos, int end) {
            return pos < end ? cls[pos] : -1;
        }

        /** Length of an English contraction ('s 't 're 've 'm 'll 'd) at {@code pos}, 0 if none. */
        private static int contraction(int[] cps, int pos, int end, boolean ignoreCase) {
            if (cps[pos] != '\'' || pos + 1 >= end) return 0;
            int a = ignoreCase ? asciiLower(cps[pos + 1]) : cps[pos + 1];
            if (a == 's' || a == 't' || a == 'm' || a == 'd') return 2;
            if (pos + 2 >= end) return 0;
            int b = ignoreCase ? asciiLower(cps[pos + 2]) : cps[pos + 2];
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) return 3;
            return 0;
        }

        private static int asciiLower(int cp) {
            return cp >= 'A' && cp <= 'Z' ? cp + 32 : cp;
        }

        private static boolean isNewline(int cp) {
            return cp == '\r' || cp == '\n';
        }

        /**
         * Whitespace at {@code pos}: with {@code newlines}, {@code \s*[\r\n]+} first; then {@code \s+(?!\S)} (a run
         * before a non-space gives up its last character to the next word), then {@code \s+}; else one character.
         */
        private static int whitespace(int[] cps, byte[] cls, int pos, int end, boolean newlines) {
            int n = 0;
            int afterNewline = -1;
            while (classAt(cls, pos + n, end) == CodepointClass.WHITESPACE) {
                if (isNewline(cps[pos + n])) afterNewline = pos + n + 1;
                n++;
            }
            if (newlines && afterNewline >= 0) return afterNewline;
            if (n > 1 && pos + n < end) return pos + n - 1;
            if (n > 0) return pos + n;
            return pos + 1;
        }

        /** Llama 3 style words, with runs of at most {@code maxDigits} digits. */
        private static void llamaWords(int[] cps, byte[] cls, int start, int end, Ends out, int maxDigits) {
            int pos = start;
            while (pos < end) {
                int cp = cps[pos];
                byte c = cls[pos];
                int contraction = contraction(cps, pos, end, true);
                if (contraction > 0) {
                    pos += contraction;
                    out.add(pos);
                    continue;
                }
                // [^\r\n\p{L}\p{N}]?\p{L}+
                if (!isNewline(cp) && c != CodepointClass.NUMBER
                        && (c == CodepointClass.LETTER || classAt(cls, pos + 1, end) == CodepointClass.LETTER)) {
                    pos++;
                    while (classAt(cls, pos, end) == CodepointClass.LETTER) pos++;
                    out.add(pos);
                    continue;
                }
                if (c == CodepointClass.NUMBER) {
                    int run = 0;
                    while (classAt(cls, pos, end) == CodepointClass.NUMBER) {
                        pos++;
                        if (++run == maxDigits) {
                            out.add(pos);
                            run = 0;
                        }
                    }
                    out.add(pos);
                    continue;
                }
                // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
                byte c2 = cp == ' ' ? classAt(cls, pos + 1, end) : c;
                if (c2 == CodepointClass.OTHER) {
                    if (cp == ' ') pos++;
                    while (classAt(cls, pos, end) == CodepointClass.OTHER) pos++;
                    while (pos < end && isNewline(cps[pos])) pos++;
                    out.add(pos);
                    continue;
                }
                pos = whitespace(cps, cls, pos, end, true);
                out.add(pos);
            }
            out.add(end);
        }
    }
}
