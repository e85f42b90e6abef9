package com.soportemax.inference.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Plain scalar kernels that follow the GGML block layouts literally. They are the definition of what every optimized
 * kernel must compute; tests hold the optimized kernels to them. Keep them simple rather than fast.
 */
final class ReferenceKernels {

    // GGUF: all multi-byte values are little-endian and blocks are not aligned.
    static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private ReferenceKernels() {
    }

    /** Writes the {@code type.blockSize()} values of the block at {@code offset} into {@code out[outOffset...]}. */
    static void dequantizeBlock(GgmlType type, MemorySegment data, long offset, float[] out, int outOffset) {
        switch (type) {
            case F32 -> out[outOffset] = data.get(FLOAT_LE, offset);
            case F16 -> out[outOffset] = FloatOps.halfToFloat(data.get(SHORT_LE, offset));
            case BF16 -> out[outOffset] = FloatOps.bfloat16ToFloat(data.get(SHORT_LE, offset));
            case Q8_0 -> dequantizeQ8_0(data, offset, out, outOffset);
            case Q4_0 -> dequantizeQ4_0(data, offset, out, outOffset);
            case Q4_1 -> dequantizeQ4_1(data, offset, out, outOffset);
            case Q5_0 -> dequantizeQ5_0(data, offset, out, outOffset);
            case Q5_1 -> dequantizeQ5_1(data, offset, out, outOffset);
            case Q4_K -> dequantizeQ4_K(data, offset, out, outOffset);
            case Q5_K -> dequantizeQ5_K(data, offset, out, outOffset);
            case Q6_K -> dequantizeQ6_K(data, offset, out, outOffset);
        }
    }

    /** Dot product of row {@code row} of {@code m} with {@code in[inOffset ... inOffset + cols)}. */
    static float dot(BlockMatrix m, int row, float[] in, int inOffset) {
        int blockSize = m.type.blockSize();
        float[] block = new float[blockSize];
        float sum = 0f;
        long offset = m.rowOffset(row);
        for (int b = 0; b < m.blocksPerRow; b++, offset += m.type.blockBytes()) {
            dequantizeBlock(m.type, m.data, offset, block, 0);
            int base = inOffset + b * blockSize;
            for (int i = 0; i < blockSize; i++) {
                sum += block[i] * in[base + i];
            }
        }
        return sum;
    }

    static void multiply(BlockMatrix m, float[] in, float[] out, int batch, int rowStart, int rowEnd) {
        for (int b = 0; b < batch; b++) {
            for (int r = rowStart; r < rowEnd; r++) {
                out[b * m.rows + r] = dot(m, r, in, b * m.cols);
            }
        }
    }

    private static int unsigned(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }


    // block_q8_0: half d; int8 qs[32]. x = qs * d
    private static void dequantizeQ8_0(MemorySegment data, long offset, float[] out, int outOffset) {
        float d = Halves.read(data, offset);
        for (int i = 0; i < 32; i++) {
            out[outOffset + i] = data.get(ValueLayout.JAVA_BYTE, offset + 2 + i) * d;
        }
    }

    // block_q4_0: half d; uint8 qs[16]. Element j is the low nibble of qs[j], element j+16 the high nibble; x = (q-8)*d
    private static void dequantizeQ4_0(MemorySegment data, long offset, float[] out, int outOffset) {
        float d = Halves.read(data, offset);
        for (int j = 0; j < 16; j++) {
            int q = unsigned(data, offset + 2 + j);
            out[outOffset + j] = ((q & 0xF) - 8) * d;
            out[outOffset + j + 16] = ((q >> 4) - 8) * d;
        }
    }

    // block_q4_1: half d; half m; uint8 qs[16]. Nibbles as Q4_0, unsigned; x = q*d + m
    private static void dequantizeQ4_1(MemorySegment data, long offset, float[] out, int outOffset) {
        float d = Halves.read(data, offset);
        float m = Halves.read(data, offset + 2);
        for (int j = 0; j < 16; j++) {
            int q = unsigned(data, offset + 4 + j);
            out[outOffset + j] = (q & 0xF) * d + m;
            out[outOffset + j + 16] = (q >> 4) * d + m;
        }
    }

    /** The 32 fifth bits of a Q5_0/Q5_1 block: bit e belongs to element e. */
    private static int fifthBits(MemorySegment data, long offset) {
        return data.get(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), offset);
    }

    // block_q5_0: half d; uint32 qh; uint8 qs[16]. Nibbles as Q4_0 plus bit e of qh as bit 4; x = (q-16)*d
    private static void dequantizeQ5_0(MemorySegment data, long offset, float[] out, int outOffset) {
        float d = Halves.read(data, offset);
        int qh = fifthBits(data, offset + 2);
        for (int j = 0; j < 16; j++) {
            int q = unsigned(data, offset + 6 + j);
            out[outOffset + j] = (((q & 0xF) | ((qh >>> j) & 1) << 4) - 16) * d;
            out[outOffset + j + 16] = (((q >> 4) | ((qh >>> (j + 16)) & 1) << 4) - 16) * d;
        }
    }

    // block_q5_1: half d; half m; uint32 qh; uint8 qs[16]. As Q5_0, unsigned; x = q*d + m
    private static void dequantizeQ5_1(MemorySegment data, long offset, float[] out, int outOffset) {
        float d = Halves.read(data, offset);
        float m = Halves.read(data, offset + 2);
        int qh = fifthBits(data, offset + 4);
        for (int j = 0; j < 16; j++) {
            int q = unsigned(data, offset + 8 + j);
            out[outOffset + j] = ((q & 0xF) | ((qh >>> j) & 1) << 4) * d + m;
            out[outOffset + j + 16] = ((q >> 4) | ((qh >>> (j + 16)) & 1) << 4) * d + m;
        }
    }

    // block_q4_K: half d; half dmin; uint8 scales[12]; uint8 qs[128]. Eight sub-blocks of 32; each 64 values share
    // 32 bytes of qs: low nibbles are sub-block 2c, high nibbles sub-block 2c+1. x = d*sc*q - dmin*m
    private static void dequantizeQ4_K(MemorySegment data, long offset, float[] out, int outOffset) {
        float d = Halves.read(data, offset);
        float dmin = Halves.read(data, offset + 2);
        long scales = offset + 4;
        long qs = offset + 16;
        for (int c = 0; c < 4; c++) {
            float d1 = d * KQuantScales.scale(data, scales, 2 * c);
            float m1 = dmin * KQuantScales.min(data, scales, 2 * c);
            float d2 = d * KQuantScales.scale(data, scales, 2 * c + 1);
            float m2 = dmin * KQuantScales.min(data, scales, 2 * c + 1);
            for (int l = 0; l < 32; l++) {
                int q = unsigned(data, qs + 32 * c + l);
                out[outOffset + 64 * c + l] = d1 * (q & 0xF) - m1;
                out[outOffset + 64 * c + 32 + l] = d2 * (q >> 4) - m2;
            }
        }
    }

    // block_q5_K: half d; half dmin; uint8 scales[12]; uint8 qh[32]; uint8 qs[128]. As Q4_K plus a fifth bit:
    // bit 2c of qh[l] is the high bit of sub-block 2c, element l; bit 2c+1 that of sub-block 2c+1.
    private static void dequantizeQ5_K(MemorySegment data, long offset, float[] out, int outOffset) {
        float d = Halves.read(data, offset);
        float dmin = Halves.read(data, offset + 2);
        long scales = offset + 4;
        long qh = offset + 16;
        long qs = offset + 48;
        for (int c = 0; c < 4; c++) {
            float d1 = d * KQuantScales.scale(data, scales, 2 * c);
            float m1 = dmin * KQuantScales.min(data, scales, 2 * c);
            float d2 = d * KQuantScales.scale(data, scales, 2 * c + 1);
            float m2 = dmin * KQuantScales.min(data, scales, 2 * c + 1);
            for (int l = 0; l < 32; l++) {
                int q = unsigned(data, qs + 32 * c + l);
                int h = unsigned(data, qh + l);
                int low = (q & 0xF) + (((h >> (2 * c)) & 1) << 4);
                int high = (q >> 4) + (((h >> (2 * c + 1)) & 1) << 4);
                out[outOffset + 64 * c + l] = d1 * low - m1;
                out[outOffset + 64 * c + 32 + l] = d2 * high - m2;
            }
        }
    }

    // block_q6_K: uint8 ql[128]; uint8 qh[64]; int8 scales[16]; half d. Two halves of 128 values; in each, ql[l] and
    // ql[l+32] hold the low nibbles of four groups of 32 and qh[l] their 2-bit high parts. x = d*scale*(q-32)
    private static void dequantizeQ6_K(MemorySegment data, long offset, float[] out, int outOffset) {
        float d = Halves.read(data, offset + 208);
        for (int n = 0; n < 2; n++) {
            long ql = offset + 64 * n;
            long qh = offset + 128 + 32 * n;
            long sc = offset + 192 + 8 * n;
            int base = outOffset + 128 * n;
            for (int l = 0; l < 32; l++) {
                int is = l / 16;
                int a = unsigned(data, ql + l);
                int b = unsigned(data, ql + l + 32);
                int h = unsigned(data, qh + l);
                int q1 = ((a & 0xF) | ((h & 3) << 4)) - 32;
                int q2 = ((b & 0xF) | (((h >> 2) & 3) << 4)) - 32;
                int q3 = ((a >> 4) | (((h >> 4) & 3) << 4)) - 32;
                int q4 = ((b >> 4) | (((h >> 6) & 3) << 4)) - 32;
                out[base + l] = d * data.get(ValueLayout.JAVA_BYTE, sc + is) * q1;
                out[base + l + 32] = d * data.get(ValueLayout.JAVA_BYTE, sc + is + 2) * q2;
                out[base + l + 64] = d * data.get(ValueLayout.JAVA_BYTE, sc + is + 4) * q3;
                out[base + l + 96] = d * data.get(ValueLayout.JAVA_BYTE, sc + is + 6) * q4;
            }
        }
    }
}
