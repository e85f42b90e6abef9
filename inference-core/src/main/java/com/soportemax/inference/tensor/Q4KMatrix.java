package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q4_K super-blocks of 256: half d, half dmin, 12 bytes of 6-bit scales and mins, 128 bytes of nibbles. Each 32
 * bytes of nibbles hold two sub-blocks of 32 (low nibbles first); x = d*scale*q - dmin*min.
 */
final class Q4KMatrix extends BlockMatrix {

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
            float d = Halves.read(data, offset);
            float dmin = Halves.read(data, offset + 2);
            // The 12 scale bytes in two reads; sub-block j's 6-bit scale and min are then decoded from registers.
            long scalesLow = KQuantScales.low(data, offset + 4);
            long scalesHigh = KQuantScales.high(data, offset + 4);
            for (int c = 0; c < 4; c++) {
                int j = 2 * c;
                float d1 = d * KQuantScales.scale(scalesLow, scalesHigh, j);
                float m1 = -dmin * KQuantScales.min(scalesLow, scalesHigh, j);
                float d2 = d * KQuantScales.scale(scalesLow, scalesHigh, j + 1);
                float m2 = -dmin * KQuantScales.min(scalesLow, scalesHigh, j + 1);
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

    // Each weight load and conversion to d*scale*q - dmin*min serves four vectors; each vector's operations are
    // exactly dotRow's.
    @Override
    void dotRowFourVectors(int row, float[] in, int x0, float[] out, int o0) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        int n = cols;
        FloatVector l0 = FloatVector.zero(F), h0 = FloatVector.zero(F);
        FloatVector l1 = FloatVector.zero(F), h1 = FloatVector.zero(F);
        FloatVector l2 = FloatVector.zero(F), h2 = FloatVector.zero(F);
        FloatVector l3 = FloatVector.zero(F), h3 = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = Halves.read(data, offset);
            float dmin = Halves.read(data, offset + 2);
            long scalesLow = KQuantScales.low(data, offset + 4);
            long scalesHigh = KQuantScales.high(data, offset + 4);
            for (int c = 0; c < 4; c++) {
                int j = 2 * c;
                float d1 = d * KQuantScales.scale(scalesLow, scalesHigh, j);
                float m1 = -dmin * KQuantScales.min(scalesLow, scalesHigh, j);
                float d2 = d * KQuantScales.scale(scalesLow, scalesHigh, j + 1);
                float m2 = -dmin * KQuantScales.min(scalesLow, scalesHigh, j + 1);
                long qs = offset + 16 + 32 * c;
                int x = x0 + b * 256 + 64 * c;
                for (int i = 0; i < 32; i += F.length()) {
                    ByteVector q = ByteVector.fromMemorySegment(B, data, qs + i, LE);
                    FloatVector low = ((FloatVector) q.and((byte) 0xF).convertShape(VectorOperators.B2F, F, 0))
                            .mul(d1).add(m1);
                    FloatVector high = ((FloatVector) VectorShapes.highNibbles(q)
                            .convertShape(VectorOperators.B2F, F, 0)).mul(d2).add(m2);
                    int xi = x + i;
                    l0 = low.fma(FloatVector.fromArray(F, in, xi), l0);
                    h0 = high.fma(FloatVector.fromArray(F, in, xi + 32), h0);
                    l1 = low.fma(FloatVector.fromArray(F, in, xi + n), l1);
                    h1 = high.fma(FloatVector.fromArray(F, in, xi + n + 32), h1);
                    l2 = low.fma(FloatVector.fromArray(F, in, xi + 2 * n), l2);
                    h2 = high.fma(FloatVector.fromArray(F, in, xi + 2 * n + 32), h2);
                    l3 = low.fma(FloatVector.fromArray(F, in, xi + 3 * n), l3);
                    h3 = high.fma(FloatVector.fromArray(F, in, xi + 3 * n + 32), h3);
                }
            }
        }
        VectorShapes.sum4(l0.add(h0), l1.add(h1), l2.add(h2), l3.add(h3), out, o0, rows);
    }

    // Multiply then subtract, two roundings, exactly as the reference; a fused multiply-add would differ in the
    // last bit.
    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = Halves.read(data, offset);
            float dmin = Halves.read(data, offset + 2);
            long scales = offset + 4;
            for (int c = 0; c < 4; c++) {
                FloatVector d1 = FloatVector.broadcast(F, d * KQuantScales.scale(data, scales, 2 * c));
                FloatVector m1 = FloatVector.broadcast(F, dmin * KQuantScales.min(data, scales, 2 * c));
                FloatVector d2 = FloatVector.broadcast(F, d * KQuantScales.scale(data, scales, 2 * c + 1));
                FloatVector m2 = FloatVector.broadcast(F,
                        dmin * KQuantScales.min(data, scales, 2 * c + 1));
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
