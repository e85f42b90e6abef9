package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K super-blocks of 256: half d, half dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles. Each 32
 * bytes of nibbles hold two sub-blocks of 32 (low nibbles first); x = d*scale*q - dmin*min.
 */
final class Q4KMatrix extends BlockMatrix {

    static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final int BLOCK_BYTES = 144;

    Q4KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_K, data, rows, cols);
    }

    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        FloatVector accLow = FloatVector.zero(F);
        FloatVector accHigh = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = half(data, offset);
            float dmin = half(data, offset + 2);
            // The 12 scale bytes in two reads; sub-block j's 6-bit scale and min are then decoded from registers.
            long scalesLow = data.get(LONG_LE, offset + 4);
            long scalesHigh = data.get(INT_LE, offset + 12) & 0xFFFFFFFFL;
            for (int c = 0; c < 4; c++) {
                int j = 2 * c;
                float d1 = d * scale(scalesLow, scalesHigh, j);
                float m1 = -dmin * min(scalesLow, scalesHigh, j);
                float d2 = d * scale(scalesLow, scalesHigh, j + 1);
                float m2 = -dmin * min(scalesLow, scalesHigh, j + 1);
                long qs = offset + 16 + 32 * c;
                int x = inOffset + b * 256 + 64 * c;
                for (int i = 0; i < 32; i += F.length()) {
                    ByteVector q = ByteVector.fromMemorySegment(B, data, qs + i, LE);
                    FloatVector low = (FloatVector) q.and((byte) 0xF).convertShape(VectorOperators.B2F, F, 0);
                    FloatVector high = (FloatVector) VectorShapes.highNibbles(q)
                            .convertShape(VectorOperators.B2F, F, 0);
                    accLow = low.mul(d1).add(m1).fma(FloatVector.fromArray(F, in, x + i), accLow);
                    accHigh = high.mul(d2).add(m2).fma(FloatVector.fromArray(F, in, x + 32 + i), accHigh);
                }
            }
        }
        return VectorShapes.sum(accLow.add(accHigh));
    }

    private static int scaleByte(long low, long high, int k) {
        return (int) ((k < 8 ? low >>> (8 * k) : high >>> (8 * (k - 8))) & 0xFF);
    }

    /** Sub-block {@code j}'s 6-bit scale from the 12 packed bytes (bytes 0..7 in {@code low}, 8..11 in {@code high}). */
    static int scale(long low, long high, int j) {
        return j < 4
                ? scaleByte(low, high, j) & 63
                : (scaleByte(low, high, j + 4) & 0xF) | ((scaleByte(low, high, j - 4) >> 6) << 4);
    }

    /** Sub-block {@code j}'s 6-bit min from the 12 packed bytes. */
    static int min(long low, long high, int j) {
        return j < 4
                ? scaleByte(low, high, j + 4) & 63
                : (scaleByte(low, high, j + 4) >> 4) | ((scaleByte(low, high, j) >> 6) << 4);
    }

    private static float half(MemorySegment data, long offset) {
        return Float.float16ToFloat(data.get(ReferenceKernels.SHORT_LE, offset));
    }

    // Multiply then subtract, two roundings, exactly as the reference; a fused multiply-add would differ in the
    // last bit.
    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = half(data, offset);
            float dmin = half(data, offset + 2);
            long scales = offset + 4;
            for (int c = 0; c < 4; c++) {
                FloatVector d1 = FloatVector.broadcast(F, d * ReferenceKernels.packedScale(data, scales, 2 * c));
                FloatVector m1 = FloatVector.broadcast(F, dmin * ReferenceKernels.packedMin(data, scales, 2 * c));
                FloatVector d2 = FloatVector.broadcast(F, d * ReferenceKernels.packedScale(data, scales, 2 * c + 1));
                FloatVector m2 = FloatVector.broadcast(F,
                        dmin * ReferenceKernels.packedMin(data, scales, 2 * c + 1));
                long qs = offset + 16 + 32 * c;
                int o = outOffset + b * 256 + 64 * c;
                for (int i = 0; i < 32; i += F.length()) {
                    ByteVector q = ByteVector.fromMemorySegment(B, data, qs + i, LE);
                    ((FloatVector) q.and((byte) 0xF).convertShape(VectorOperators.B2F, F, 0))
                            .mul(d1).sub(m1).intoArray(out, o + i);
                    ((FloatVector) VectorShapes.highNibbles(q).convertShape(VectorOperators.B2F, F, 0))
                            .mul(d2).sub(m2).intoArray(out, o + 32 + i);
                }
            }
        }
    }
}
