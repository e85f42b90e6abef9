package com.soportemax.inference.tokenizer;

import java.nio.charset.StandardCharsets;

/** UTF-8 helpers for text that arrives in byte pieces. */
final class Utf8 {

    private Utf8() {
    }

    /**
     * Length of the longest prefix that does not end inside a character that may still be completed. Bytes that
     * cannot start or continue a valid character are included (they decode to U+FFFD rather than block the stream).
     */
    static int completePrefixLength(byte[] bytes) {
        int n = bytes.length;
        // a character is at most 4 bytes: only the last 3 can belong to an unfinished one
        for (int start = Math.max(0, n - 3); start < n; start++) {
            int lead = bytes[start] & 0xFF;
            int length = sequenceLength(lead);
            if (length <= 1) continue;
            if (start + length <= n) continue;
            boolean continuationSoFar = true;
            for (int i = start + 1; i < n; i++) {
                if ((bytes[i] & 0xC0) != 0x80) continuationSoFar = false;
            }
            if (continuationSoFar) return start;
        }
        return n;
    }

    /** The length of the UTF-8 sequence this lead byte starts, 0 when it cannot start one. */
    static int sequenceLength(int lead) {
        if (lead < 0x80) return 1;
        if (lead < 0xC2) return 0;
        if (lead < 0xE0) return 2;
        if (lead < 0xF0) return 3;
        if (lead < 0xF5) return 4;
        return 0;
    }

    static String decode(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, length, StandardCharsets.UTF_8);
    }

    /** The codepoints of a Java string; unpaired surrogates become U+FFFD, as they would in UTF-8. */
    static int[] codepoints(String text) {
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            if (cps[i] >= 0xD800 && cps[i] <= 0xDFFF) cps[i] = 0xFFFD;
        }
        return cps;
    }
}
