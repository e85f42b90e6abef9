package com.soportemax.inference.tokenizer;

/**
 * GPT-2's reversible byte-to-character mapping: byte-level BPE vocabularies store every byte as a printable
 * character, so a space is "Ġ" and a newline "Ċ". Printable Latin-1 bytes stand for themselves; the other 68 bytes
 * take the characters from U+0100 upwards, in byte order.
 */
public final class ByteLevel {

    private static final char[] BYTE_TO_CHAR = new char[256];
    private static final int[] CHAR_TO_BYTE = new int[512];

    static {
        java.util.Arrays.fill(CHAR_TO_BYTE, -1);
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) next++;
            BYTE_TO_CHAR[b] = c;
            CHAR_TO_BYTE[c] = b;
        }
    }

    private ByteLevel() {
    }

    public static char charOf(int unsignedByte) {
        return BYTE_TO_CHAR[unsignedByte];
    }

    /** The byte a vocabulary character stands for, or -1 for a character outside the mapping. */
    static int byteOf(int c) {
        return c >= 0 && c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
    }

    public static String encode(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
        return new String(chars);
    }

    /** The bytes a vocabulary string stands for; characters outside the mapping are kept as their UTF-8. */
    static byte[] decode(String text) {
        byte[] mapped = new byte[text.length()];
        for (int i = 0; i < mapped.length; i++) {
            int b = byteOf(text.charAt(i));
            if (b < 0) return decodeMixed(text);
            mapped[i] = (byte) b;
        }
        return mapped;
    }

    private static byte[] decodeMixed(String text) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(text.length());
        text.codePoints().forEach(cp -> {
            int b = byteOf(cp);
            if (b >= 0) out.write(b);
            else out.writeBytes(Character.toString(cp).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
        return out.toByteArray();
    }
}
