package com.soportemax.inference.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The 12 bytes of 6-bit scales and mins of a Q4_K / Q5_K super-block (ggml's get_scale_min_k4): sub-blocks 0..3
 * keep scale and min in the low 6 bits of bytes j and j+4; sub-blocks 4..7 take their low 4 bits from byte j+4 and
 * their top 2 bits from the top of bytes j-4 (scale) and j (min). The bytes are read in two loads (bytes 0..7, then
 * 8..11), and every kernel, reference included, decodes them here.
 */
final class KQuantScales {

    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private KQuantScales() {
    }

    /** Bytes 0..7 of the scales at {@code scales}. */
    static long low(MemorySegment data, long scales) {
        return data.get(LONG_LE, scales);
    }

    /** Bytes 8..11 of the scales at {@code scales}. */
    static long high(MemorySegment data, long scales) {
        return data.get(INT_LE, scales + 8) & 0xFFFFFFFFL;
    }

    private static int scaleByte(long low, long high, int k) {
        return (int) ((k < 8 ? low >>> (8 * k) : high >>> (8 * (k - 8))) & 0xFF);
    }

    /** Sub-block {@code j}'s 6-bit scale (0..7) from the two loads. */
    static int scale(long low, long high, int j) {
        return j < 4
                ? scaleByte(low, high, j) & 63
                : (scaleByte(low, high, j + 4) & 0xF) | ((scaleByte(low, high, j - 4) >> 6) << 4);
    }

    /** Sub-block {@code j}'s 6-bit min (0..7) from the two loads. */
    static int min(long low, long high, int j) {
        return j < 4
                ? scaleByte(low, high, j + 4) & 63
                : (scaleByte(low, high, j + 4) >> 4) | ((scaleByte(low, high, j) >> 6) << 4);
    }

    /** Sub-block {@code j}'s scale, straight from memory. */
    static int scale(MemorySegment data, long scales, int j) {
        return scale(low(data, scales), high(data, scales), j);
    }

    /** Sub-block {@code j}'s min, straight from memory. */
    static int min(MemorySegment data, long scales, int j) {
        return min(low(data, scales), high(data, scales), j);
    }
}
