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

    // Written out in one method: with the conversions in a helper, C2 compiled this loop about 8x slower.
    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = Halves.read(data, offset + 208);
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
                    ByteVector b1 = a.and((byte) 0xF).or(VectorShapes.shiftLeftUnmasked(h, 4).and((byte) 0x30));
                    ByteVector b2 = c.and((byte) 0xF).or(VectorShapes.shiftLeftUnmasked(h, 2).and((byte) 0x30));
                    ByteVector b3 = VectorShapes.highNibbles(a).or(h.and((byte) 0x30));
                    ByteVector b4 = VectorShapes.highNibbles(c).or(VectorShapes.shiftRightUnmasked(h, 2).and((byte) 0x30));
                    FloatVector q1 = (FloatVector) b1.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0);
                    FloatVector q2 = (FloatVector) b2.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0);
                    FloatVector q3 = (FloatVector) b3.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0);
                    FloatVector q4 = (FloatVector) b4.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0);
                    float s1 = d * data.get(ValueLayout.JAVA_BYTE, sc + is);
                    float s2 = d * data.get(ValueLayout.JAVA_BYTE, sc + is + 2);
                    float s3 = d * data.get(ValueLayout.JAVA_BYTE, sc + is + 4);
                    float s4 = d * data.get(ValueLayout.JAVA_BYTE, sc + is + 6);
                    acc0 = q1.mul(s1).fma(FloatVector.fromArray(F, in, x + l), acc0);
                    acc1 = q2.mul(s2).fma(FloatVector.fromArray(F, in, x + l + 32), acc1);
                    acc0 = q3.mul(s3).fma(FloatVector.fromArray(F, in, x + l + 64), acc0);
                    acc1 = q4.mul(s4).fma(FloatVector.fromArray(F, in, x + l + 96), acc1);
                }
            }
        }
        return VectorShapes.sum(acc0.add(acc1));
    }


    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = Halves.read(data, offset + 208);
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
                    ByteVector b1 = a.and((byte) 0xF).or(VectorShapes.shiftLeftUnmasked(h, 4).and((byte) 0x30));
                    ByteVector b2 = c.and((byte) 0xF).or(VectorShapes.shiftLeftUnmasked(h, 2).and((byte) 0x30));
                    ByteVector b3 = VectorShapes.highNibbles(a).or(h.and((byte) 0x30));
                    ByteVector b4 = VectorShapes.highNibbles(c).or(VectorShapes.shiftRightUnmasked(h, 2).and((byte) 0x30));
                    ((FloatVector) b1.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0))
                            .mul(d * data.get(ValueLayout.JAVA_BYTE, sc + is)).intoArray(out, o + l);
                    ((FloatVector) b2.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0))
                            .mul(d * data.get(ValueLayout.JAVA_BYTE, sc + is + 2)).intoArray(out, o + l + 32);
                    ((FloatVector) b3.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0))
                            .mul(d * data.get(ValueLayout.JAVA_BYTE, sc + is + 4)).intoArray(out, o + l + 64);
                    ((FloatVector) b4.sub((byte) 32).convertShape(VectorOperators.B2F, F, 0))
                            .mul(d * data.get(ValueLayout.JAVA_BYTE, sc + is + 6)).intoArray(out, o + l + 96);
                }
            }
        }
    }
}
