package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_0 blocks: half d, then 16 bytes whose low nibbles are values 0..15 and high nibbles 16..31; x = (q-8)*d. */
final class Q4_0Matrix extends BlockMatrix {

    private static final int BLOCK_BYTES = 18;

    Q4_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_0, data, rows, cols);
    }

    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            int x = inOffset + b * 32;
            FloatVector sumLow = FloatVector.zero(F);
            FloatVector sumHigh = FloatVector.zero(F);
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 2 + j, LE);
                FloatVector low = (FloatVector) q.and((byte) 0xF).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0);
                FloatVector high = (FloatVector) VectorShapes.highNibbles(q).sub((byte) 8)
                        .convertShape(VectorOperators.B2F, F, 0);
                sumLow = low.fma(FloatVector.fromArray(F, in, x + j), sumLow);
                sumHigh = high.fma(FloatVector.fromArray(F, in, x + 16 + j), sumHigh);
            }
            FloatVector d = FloatVector.broadcast(F, Halves.read(data, offset));
            acc0 = sumLow.fma(d, acc0);
            acc1 = sumHigh.fma(d, acc1);
        }
        return VectorShapes.sum(acc0.add(acc1));
    }


    // Each weight load and nibble conversion serves four vectors; each vector's operations are exactly dotRow's.
    @Override
    void dotRowFourVectors(int row, float[] in, int x0, float[] out, int o0) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        int n = cols;
        FloatVector a0 = FloatVector.zero(F), c0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F), c1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F), c2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F), c3 = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            int x = x0 + b * 32;
            FloatVector l0 = FloatVector.zero(F), h0 = FloatVector.zero(F);
            FloatVector l1 = FloatVector.zero(F), h1 = FloatVector.zero(F);
            FloatVector l2 = FloatVector.zero(F), h2 = FloatVector.zero(F);
            FloatVector l3 = FloatVector.zero(F), h3 = FloatVector.zero(F);
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 2 + j, LE);
                FloatVector low = (FloatVector) q.and((byte) 0xF).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0);
                FloatVector high = (FloatVector) VectorShapes.highNibbles(q).sub((byte) 8)
                        .convertShape(VectorOperators.B2F, F, 0);
                int xj = x + j;
                l0 = low.fma(FloatVector.fromArray(F, in, xj), l0);
                h0 = high.fma(FloatVector.fromArray(F, in, xj + 16), h0);
                l1 = low.fma(FloatVector.fromArray(F, in, xj + n), l1);
                h1 = high.fma(FloatVector.fromArray(F, in, xj + n + 16), h1);
                l2 = low.fma(FloatVector.fromArray(F, in, xj + 2 * n), l2);
                h2 = high.fma(FloatVector.fromArray(F, in, xj + 2 * n + 16), h2);
                l3 = low.fma(FloatVector.fromArray(F, in, xj + 3 * n), l3);
                h3 = high.fma(FloatVector.fromArray(F, in, xj + 3 * n + 16), h3);
            }
            FloatVector d = FloatVector.broadcast(F, Halves.read(data, offset));
            a0 = l0.fma(d, a0);
            c0 = h0.fma(d, c0);
            a1 = l1.fma(d, a1);
            c1 = h1.fma(d, c1);
            a2 = l2.fma(d, a2);
            c2 = h2.fma(d, c2);
            a3 = l3.fma(d, a3);
            c3 = h3.fma(d, c3);
        }
        VectorShapes.sum4(a0.add(c0), a1.add(c1), a2.add(c2), a3.add(c3), out, o0, rows);
    }

    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, Halves.read(data, offset));
            int o = outOffset + b * 32;
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 2 + j, LE);
                ((FloatVector) q.and((byte) 0xF).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0))
                        .mul(d).intoArray(out, o + j);
                ((FloatVector) VectorShapes.highNibbles(q).sub((byte) 8).convertShape(VectorOperators.B2F, F, 0))
                        .mul(d).intoArray(out, o + 16 + j);
            }
        }
    }
}
