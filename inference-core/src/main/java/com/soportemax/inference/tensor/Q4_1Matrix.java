package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q4_1 blocks: half d, half m, 16 bytes of nibbles laid out as in Q4_0; x = q * d + m. */
final class Q4_1Matrix extends BlockMatrix {

    private static final int BLOCK_BYTES = 20;

    Q4_1Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q4_1, data, rows, cols);
    }

    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, Halves.read(data, offset));
            FloatVector m = FloatVector.broadcast(F, Halves.read(data, offset + 2));
            int x = inOffset + b * 32;
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 4 + j, LE);
                FloatVector low = (FloatVector) q.and((byte) 0xF).convertShape(VectorOperators.B2F, F, 0);
                FloatVector high = (FloatVector) VectorShapes.highNibbles(q).convertShape(VectorOperators.B2F, F, 0);
                acc = low.fma(d, m).fma(FloatVector.fromArray(F, in, x + j), acc);
                acc = high.fma(d, m).fma(FloatVector.fromArray(F, in, x + 16 + j), acc);
            }
        }
        return VectorShapes.sum(acc);
    }


    // Multiply then add (two roundings), exactly as the reference.
    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, Halves.read(data, offset));
            FloatVector m = FloatVector.broadcast(F, Halves.read(data, offset + 2));
            int o = outOffset + b * 32;
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 4 + j, LE);
                ((FloatVector) q.and((byte) 0xF).convertShape(VectorOperators.B2F, F, 0))
                        .mul(d).add(m).intoArray(out, o + j);
                ((FloatVector) VectorShapes.highNibbles(q).convertShape(VectorOperators.B2F, F, 0))
                        .mul(d).add(m).intoArray(out, o + 16 + j);
            }
        }
    }
}
