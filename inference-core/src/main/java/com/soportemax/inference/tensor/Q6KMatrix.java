package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q6_K super-blocks of 256: 128 bytes of low nibbles, 64 bytes of 2-bit high parts, 16 signed 8-bit scales (one per
 * 16 values), half d. In each half of 128 values, ql[l] and ql[l+32] hold the low nibbles of four groups of 32 and
 * qh[l] their high bits; x = d*scale*(q-32). The lane count (8 or 16) divides 16, so each vector has one scale.
 */
final class Q6KMatrix extends BlockMatrix {

    private static final int BLOCK_BYTES = 210;

    Q6KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q6_K, data, rows, cols);
    }

    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = half(data, offset + 208);
            for (int n = 0; n < 2; n++) {
                long ql = offset + 64 * n;
                long qh = offset + 128 + 32 * n;
                long sc = offset + 192 + 8 * n;
                int x = inOffset + b * 256 + 128 * n;
                for (int l = 0; l < 32; l += F.length()) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(B, data, ql + l, LE);
                    ByteVector c = ByteVector.fromMemorySegment(B, data, ql + l + 32, LE);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, qh + l, LE);
                    FloatVector q1 = quants(a.and((byte) 0xF), VectorShapes.shiftLeftUnmasked(h, 4));
                    FloatVector q2 = quants(c.and((byte) 0xF), VectorShapes.shiftLeftUnmasked(h, 2));
                    FloatVector q3 = quants(VectorShapes.highNibbles(a), h);
                    FloatVector q4 = quants(VectorShapes.highNibbles(c), VectorShapes.shiftRightUnmasked(h, 2));
                    acc0 = q1.mul(scale(data, sc + is, d)).fma(FloatVector.fromArray(F, in, x + l), acc0);
                    acc1 = q2.mul(scale(data, sc + is + 2, d)).fma(FloatVector.fromArray(F, in, x + l + 32), acc1);
                    acc0 = q3.mul(scale(data, sc + is + 4, d)).fma(FloatVector.fromArray(F, in, x + l + 64), acc0);
                    acc1 = q4.mul(scale(data, sc + is + 6, d)).fma(FloatVector.fromArray(F, in, x + l + 96), acc1);
                }
            }
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    /** A low nibble combined with bits 4..5 of {@code high} (the rest masked off), minus 32. */
    private static FloatVector quants(ByteVector low, ByteVector high) {
        return (FloatVector) low.or(high.and((byte) 0x30)).sub((byte) 32).convertShape(VectorOperators.B2F, F, 0);
    }

    private static FloatVector scale(MemorySegment data, long offset, float d) {
        return FloatVector.broadcast(F, d * data.get(ValueLayout.JAVA_BYTE, offset));
    }

    private static float half(MemorySegment data, long offset) {
        return Float.float16ToFloat(data.get(ReferenceKernels.SHORT_LE, offset));
    }

    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = half(data, offset + 208);
            for (int n = 0; n < 2; n++) {
                long ql = offset + 64 * n;
                long qh = offset + 128 + 32 * n;
                long sc = offset + 192 + 8 * n;
                int o = outOffset + b * 256 + 128 * n;
                for (int l = 0; l < 32; l += F.length()) {
                    int is = l / 16;
                    ByteVector a = ByteVector.fromMemorySegment(B, data, ql + l, LE);
                    ByteVector c = ByteVector.fromMemorySegment(B, data, ql + l + 32, LE);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, qh + l, LE);
                    quants(a.and((byte) 0xF), VectorShapes.shiftLeftUnmasked(h, 4))
                            .mul(scale(data, sc + is, d)).intoArray(out, o + l);
                    quants(c.and((byte) 0xF), VectorShapes.shiftLeftUnmasked(h, 2))
                            .mul(scale(data, sc + is + 2, d)).intoArray(out, o + l + 32);
                    quants(VectorShapes.highNibbles(a), h)
                            .mul(scale(data, sc + is + 4, d)).intoArray(out, o + l + 64);
                    quants(VectorShapes.highNibbles(c), VectorShapes.shiftRightUnmasked(h, 2))
                            .mul(scale(data, sc + is + 6, d)).intoArray(out, o + l + 96);
                }
            }
        }
    }
}
