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

    // Sums q*x per block in one accumulator and scales the block sum by d: one multiply per block instead of one
    // per weight. Two block accumulators so that consecutive blocks do not wait on each other.
    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        int blocks = blocksPerRow;
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int b = 0;
        for (; b + 1 < blocks; b += 2, offset += 2 * BLOCK_BYTES) {
            acc0 = blockSum(data, offset, in, inOffset + b * 32)
                    .fma(FloatVector.broadcast(F, half(data, offset)), acc0);
            acc1 = blockSum(data, offset + BLOCK_BYTES, in, inOffset + b * 32 + 32)
                    .fma(FloatVector.broadcast(F, half(data, offset + BLOCK_BYTES)), acc1);
        }
        if (b < blocks) {
            acc0 = blockSum(data, offset, in, inOffset + b * 32)
                    .fma(FloatVector.broadcast(F, half(data, offset)), acc0);
        }
        return acc0.add(acc1).reduceLanes(VectorOperators.ADD);
    }

    private static FloatVector blockSum(MemorySegment data, long offset, float[] in, int x) {
        FloatVector sum = quants(data, offset + 2).mul(FloatVector.fromArray(F, in, x));
        for (int i = F.length(); i < 32; i += F.length()) {
            sum = quants(data, offset + 2 + i).fma(FloatVector.fromArray(F, in, x + i), sum);
        }
        return sum;
    }

    private static FloatVector quants(MemorySegment data, long offset) {
        return (FloatVector) ByteVector.fromMemorySegment(B, data, offset, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    private static float half(MemorySegment data, long offset) {
        return Float.float16ToFloat(data.get(ReferenceKernels.SHORT_LE, offset));
    }

    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            FloatVector d = FloatVector.broadcast(F, half(data, offset));
            for (int i = 0; i < 32; i += F.length()) {
                quants(data, offset + 2 + i).mul(d).intoArray(out, outOffset + b * 32 + i);
            }
        }
    }
}
