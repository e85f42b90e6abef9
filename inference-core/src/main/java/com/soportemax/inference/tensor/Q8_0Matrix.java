package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/** Q8_0 blocks: half d, then 32 signed bytes; x = q * d. */
final class Q8_0Matrix extends BlockMatrix {

    private static final int BLOCK_BYTES = 34;

    Q8_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q8_0, data, rows, cols);
    }

    // Sums q*x per block and scales the block sum by d: one multiply per block instead of one per weight. Two block
    // accumulators so that consecutive blocks do not wait on each other. The conversions are written out here:
    // in helper methods C2 compiled some of these kernels several times slower.
    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        int blocks = blocksPerRow;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int x = inOffset;
        int b = 0;
        for (; b + 1 < blocks; b += 2, offset += 2 * BLOCK_BYTES, x += 64) {
            FloatVector sum0 = FloatVector.zero(F);
            FloatVector sum1 = FloatVector.zero(F);
            for (int i = 0; i < 32; i += F.length()) {
                FloatVector q0 = (FloatVector) ByteVector.fromMemorySegment(B, data, offset + 2 + i, LE)
                        .convertShape(VectorOperators.B2F, F, 0);
                FloatVector q1 = (FloatVector) ByteVector.fromMemorySegment(B, data, offset + BLOCK_BYTES + 2 + i, LE)
                        .convertShape(VectorOperators.B2F, F, 0);
                sum0 = q0.fma(FloatVector.fromArray(F, in, x + i), sum0);
                sum1 = q1.fma(FloatVector.fromArray(F, in, x + 32 + i), sum1);
            }
            acc0 = sum0.fma(FloatVector.broadcast(F, Halves.read(data, offset)), acc0);
            acc1 = sum1.fma(FloatVector.broadcast(F, Halves.read(data, offset + BLOCK_BYTES)), acc1);
        }
        if (b < blocks) {
            FloatVector sum = FloatVector.zero(F);
            for (int i = 0; i < 32; i += F.length()) {
                FloatVector q = (FloatVector) ByteVector.fromMemorySegment(B, data, offset + 2 + i, LE)
                        .convertShape(VectorOperators.B2F, F, 0);
                sum = q.fma(FloatVector.fromArray(F, in, x + i), sum);
            }
            acc0 = sum.fma(FloatVector.broadcast(F, Halves.read(data, offset)), acc0);
        }
        return VectorShapes.sum(acc0.add(acc1));
    }


    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        int o = outOffset;
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES, o += 32) {
            float d = Halves.read(data, offset);
            for (int i = 0; i < 32; i += F.length()) {
                ((FloatVector) ByteVector.fromMemorySegment(B, data, offset + 2 + i, LE)
                        .convertShape(VectorOperators.B2F, F, 0)).mul(d).intoArray(out, o + i);
            }
        }
    }
}
