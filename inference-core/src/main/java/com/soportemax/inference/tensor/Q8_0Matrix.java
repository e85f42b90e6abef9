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

    // Each weight load and conversion serves four vectors.
    @Override
    void dotRowFourVectors(int row, float[] in, int x0, float[] out, int o0) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        int blocks = blocksPerRow;
        int n = cols;
        FloatVector a0 = FloatVector.zero(F), c0 = FloatVector.zero(F);
        FloatVector a1 = FloatVector.zero(F), c1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F), c2 = FloatVector.zero(F);
        FloatVector a3 = FloatVector.zero(F), c3 = FloatVector.zero(F);
        int x = x0;
        int b = 0;
        for (; b + 1 < blocks; b += 2, offset += 2 * BLOCK_BYTES, x += 64) {
            FloatVector s0 = FloatVector.zero(F), t0 = FloatVector.zero(F);
            FloatVector s1 = FloatVector.zero(F), t1 = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F), t2 = FloatVector.zero(F);
            FloatVector s3 = FloatVector.zero(F), t3 = FloatVector.zero(F);
            for (int i = 0; i < 32; i += F.length()) {
                FloatVector q0 = (FloatVector) ByteVector.fromMemorySegment(B, data, offset + 2 + i, LE)
                        .convertShape(VectorOperators.B2F, F, 0);
                FloatVector q1 = (FloatVector) ByteVector.fromMemorySegment(B, data, offset + BLOCK_BYTES + 2 + i, LE)
                        .convertShape(VectorOperators.B2F, F, 0);
                int xi = x + i;
                s0 = q0.fma(FloatVector.fromArray(F, in, xi), s0);
                t0 = q1.fma(FloatVector.fromArray(F, in, xi + 32), t0);
                s1 = q0.fma(FloatVector.fromArray(F, in, xi + n), s1);
                t1 = q1.fma(FloatVector.fromArray(F, in, xi + n + 32), t1);
                s2 = q0.fma(FloatVector.fromArray(F, in, xi + 2 * n), s2);
                t2 = q1.fma(FloatVector.fromArray(F, in, xi + 2 * n + 32), t2);
                s3 = q0.fma(FloatVector.fromArray(F, in, xi + 3 * n), s3);
                t3 = q1.fma(FloatVector.fromArray(F, in, xi + 3 * n + 32), t3);
            }
            FloatVector d0 = FloatVector.broadcast(F, Halves.read(data, offset));
            FloatVector d1 = FloatVector.broadcast(F, Halves.read(data, offset + BLOCK_BYTES));
            a0 = s0.fma(d0, a0);
            c0 = t0.fma(d1, c0);
            a1 = s1.fma(d0, a1);
            c1 = t1.fma(d1, c1);
            a2 = s2.fma(d0, a2);
            c2 = t2.fma(d1, c2);
            a3 = s3.fma(d0, a3);
            c3 = t3.fma(d1, c3);
        }
        if (b < blocks) {
            FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
            FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
            for (int i = 0; i < 32; i += F.length()) {
                FloatVector q = (FloatVector) ByteVector.fromMemorySegment(B, data, offset + 2 + i, LE)
                        .convertShape(VectorOperators.B2F, F, 0);
                int xi = x + i;
                s0 = q.fma(FloatVector.fromArray(F, in, xi), s0);
                s1 = q.fma(FloatVector.fromArray(F, in, xi + n), s1);
                s2 = q.fma(FloatVector.fromArray(F, in, xi + 2 * n), s2);
                s3 = q.fma(FloatVector.fromArray(F, in, xi + 3 * n), s3);
            }
            FloatVector d = FloatVector.broadcast(F, Halves.read(data, offset));
            a0 = s0.fma(d, a0);
            a1 = s1.fma(d, a1);
            a2 = s2.fma(d, a2);
            a3 = s3.fma(d, a3);
        }
        VectorShapes.sum4(a0.add(c0), a1.add(c1), a2.add(c2), a3.add(c3), out, o0, rows);
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
