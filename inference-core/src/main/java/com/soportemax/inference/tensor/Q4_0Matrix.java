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
