package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Products with several input vectors (prefill). Four rows at a time are dequantized once into a float scratch, then
 * multiplied with the vectors four (AVX-512) or two at a time, all accumulators in registers: each loaded float
 * serves several products, the cost of dequantizing is shared by the whole batch, and the vectors are read a quarter
 * as often as row by row.
 */
final class BatchedKernels {

    private static final int ROWS = 4;

    /**
     * 4x4 tiles need 16 accumulators plus operands: they fit the 32 registers of AVX-512 (512-bit species), not the
     * 16 of AVX2, where the 4x2 tile is the largest that does not spill.
     */
    private static final boolean WIDE_TILES = VectorShapes.LANES >= 16;

    private BatchedKernels() {
    }

    static void multiply(BlockMatrix m, float[] in, float[] out, int batch, int rowStart, int rowEnd) {
        int cols = m.cols;
        int rows = m.rows;
        float[] w = new float[ROWS * cols];
        int r = rowStart;
        for (; r + ROWS <= rowEnd; r += ROWS) {
            for (int k = 0; k < ROWS; k++) {
                m.dequantizeRowInto(r + k, w, k * cols);
            }
            int b = 0;
            if (WIDE_TILES) {
                for (; b + 4 <= batch; b += 4) {
                    fourRowsFourVectors(w, cols, in, b * cols, out, b * rows + r, rows);
                }
            }
            for (; b + 2 <= batch; b += 2) {
                fourRowsTwoVectors(w, cols, in, b * cols, (b + 1) * cols, out, b * rows + r, (b + 1) * rows + r);
            }
            if (b < batch) {
                fourRowsOneVector(w, cols, in, b * cols, out, b * rows + r);
            }
        }
        for (; r < rowEnd; r++) {
            m.dequantizeRowInto(r, w, 0);
            for (int b = 0; b < batch; b++) {
                out[b * rows + r] = oneRowOneVector(w, cols, in, b * cols);
            }
        }
    }

    // Every tile sums each (row, vector) product in the same order: one accumulator over the vector loop, a lane
    // reduction, then the scalar tail. So a row's result does not depend on which tile it fell in, and the product
    // is the same whatever the thread count or chunking.

    private static float oneRowOneVector(float[] w, int cols, float[] in, int x0) {
        FloatVector acc = FloatVector.zero(F);
        int bound = F.loopBound(cols);
        int i = 0;
        for (; i < bound; i += F.length()) {
            acc = FloatVector.fromArray(F, w, i).fma(FloatVector.fromArray(F, in, x0 + i), acc);
        }
        float sum = VectorShapes.sum(acc);
        for (; i < cols; i++) {
            sum += w[i] * in[x0 + i];
        }
        return sum;
    }

    /** Rows r..r+3 (in {@code w}) times vectors at x0, x0+cols, x0+2cols, x0+3cols; results at o0 + k*rows. */
    private static void fourRowsFourVectors(float[] w, int cols, float[] in, int x0, float[] out, int o0, int rows) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a02 = FloatVector.zero(F), a03 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a12 = FloatVector.zero(F), a13 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a22 = FloatVector.zero(F), a23 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        FloatVector a32 = FloatVector.zero(F), a33 = FloatVector.zero(F);
        int x1 = x0 + cols;
        int x2 = x1 + cols;
        int x3 = x2 + cols;
        int bound = F.loopBound(cols);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector v0 = FloatVector.fromArray(F, in, x0 + i);
            FloatVector v1 = FloatVector.fromArray(F, in, x1 + i);
            FloatVector v2 = FloatVector.fromArray(F, in, x2 + i);
            FloatVector v3 = FloatVector.fromArray(F, in, x3 + i);
            FloatVector w0 = FloatVector.fromArray(F, w, i);
            a00 = w0.fma(v0, a00);
            a01 = w0.fma(v1, a01);
            a02 = w0.fma(v2, a02);
            a03 = w0.fma(v3, a03);
            FloatVector w1 = FloatVector.fromArray(F, w, cols + i);
            a10 = w1.fma(v0, a10);
            a11 = w1.fma(v1, a11);
            a12 = w1.fma(v2, a12);
            a13 = w1.fma(v3, a13);
            FloatVector w2 = FloatVector.fromArray(F, w, 2 * cols + i);
            a20 = w2.fma(v0, a20);
            a21 = w2.fma(v1, a21);
            a22 = w2.fma(v2, a22);
            a23 = w2.fma(v3, a23);
            FloatVector w3 = FloatVector.fromArray(F, w, 3 * cols + i);
            a30 = w3.fma(v0, a30);
            a31 = w3.fma(v1, a31);
            a32 = w3.fma(v2, a32);
            a33 = w3.fma(v3, a33);
        }
        float s00 = VectorShapes.sum(a00), s01 = VectorShapes.sum(a01);
        float s02 = VectorShapes.sum(a02), s03 = VectorShapes.sum(a03);
        float s10 = VectorShapes.sum(a10), s11 = VectorShapes.sum(a11);
        float s12 = VectorShapes.sum(a12), s13 = VectorShapes.sum(a13);
        float s20 = VectorShapes.sum(a20), s21 = VectorShapes.sum(a21);
        float s22 = VectorShapes.sum(a22), s23 = VectorShapes.sum(a23);
        float s30 = VectorShapes.sum(a30), s31 = VectorShapes.sum(a31);
        float s32 = VectorShapes.sum(a32), s33 = VectorShapes.sum(a33);
        for (; i < cols; i++) {
            float v0 = in[x0 + i], v1 = in[x1 + i], v2 = in[x2 + i], v3 = in[x3 + i];
            float w0 = w[i], w1 = w[cols + i], w2 = w[2 * cols + i], w3 = w[3 * cols + i];
            s00 += w0 * v0; s01 += w0 * v1; s02 += w0 * v2; s03 += w0 * v3;
            s10 += w1 * v0; s11 += w1 * v1; s12 += w1 * v2; s13 += w1 * v3;
            s20 += w2 * v0; s21 += w2 * v1; s22 += w2 * v2; s23 += w2 * v3;
            s30 += w3 * v0; s31 += w3 * v1; s32 += w3 * v2; s33 += w3 * v3;
        }
        int o1 = o0 + rows;
        int o2 = o1 + rows;
        int o3 = o2 + rows;
        out[o0] = s00; out[o0 + 1] = s10; out[o0 + 2] = s20; out[o0 + 3] = s30;
        out[o1] = s01; out[o1 + 1] = s11; out[o1 + 2] = s21; out[o1 + 3] = s31;
        out[o2] = s02; out[o2 + 1] = s12; out[o2 + 2] = s22; out[o2 + 3] = s32;
        out[o3] = s03; out[o3 + 1] = s13; out[o3 + 2] = s23; out[o3 + 3] = s33;
    }

    private static void fourRowsTwoVectors(float[] w, int cols, float[] in, int x0, int x1, float[] out, int o0,
                                           int o1) {
        FloatVector a00 = FloatVector.zero(F), a01 = FloatVector.zero(F);
        FloatVector a10 = FloatVector.zero(F), a11 = FloatVector.zero(F);
        FloatVector a20 = FloatVector.zero(F), a21 = FloatVector.zero(F);
        FloatVector a30 = FloatVector.zero(F), a31 = FloatVector.zero(F);
        int bound = F.loopBound(cols);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector v0 = FloatVector.fromArray(F, in, x0 + i);
            FloatVector v1 = FloatVector.fromArray(F, in, x1 + i);
            FloatVector w0 = FloatVector.fromArray(F, w, i);
            a00 = w0.fma(v0, a00);
            a01 = w0.fma(v1, a01);
            FloatVector w1 = FloatVector.fromArray(F, w, cols + i);
            a10 = w1.fma(v0, a10);
            a11 = w1.fma(v1, a11);
            FloatVector w2 = FloatVector.fromArray(F, w, 2 * cols + i);
            a20 = w2.fma(v0, a20);
            a21 = w2.fma(v1, a21);
            FloatVector w3 = FloatVector.fromArray(F, w, 3 * cols + i);
            a30 = w3.fma(v0, a30);
            a31 = w3.fma(v1, a31);
        }
        float s00 = VectorShapes.sum(a00), s01 = VectorShapes.sum(a01);
        float s10 = VectorShapes.sum(a10), s11 = VectorShapes.sum(a11);
        float s20 = VectorShapes.sum(a20), s21 = VectorShapes.sum(a21);
        float s30 = VectorShapes.sum(a30), s31 = VectorShapes.sum(a31);
        for (; i < cols; i++) {
            float v0 = in[x0 + i];
            float v1 = in[x1 + i];
            s00 += w[i] * v0;
            s01 += w[i] * v1;
            s10 += w[cols + i] * v0;
            s11 += w[cols + i] * v1;
            s20 += w[2 * cols + i] * v0;
            s21 += w[2 * cols + i] * v1;
            s30 += w[3 * cols + i] * v0;
            s31 += w[3 * cols + i] * v1;
        }
        out[o0] = s00;
        out[o0 + 1] = s10;
        out[o0 + 2] = s20;
        out[o0 + 3] = s30;
        out[o1] = s01;
        out[o1 + 1] = s11;
        out[o1 + 2] = s21;
        out[o1 + 3] = s31;
    }

    private static void fourRowsOneVector(float[] w, int cols, float[] in, int x0, float[] out, int o0) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        int bound = F.loopBound(cols);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, in, x0 + i);
            a0 = FloatVector.fromArray(F, w, i).fma(v, a0);
            a1 = FloatVector.fromArray(F, w, cols + i).fma(v, a1);
            a2 = FloatVector.fromArray(F, w, 2 * cols + i).fma(v, a2);
            a3 = FloatVector.fromArray(F, w, 3 * cols + i).fma(v, a3);
        }
        float s0 = VectorShapes.sum(a0), s1 = VectorShapes.sum(a1);
        float s2 = VectorShapes.sum(a2), s3 = VectorShapes.sum(a3);
        for (; i < cols; i++) {
            float v = in[x0 + i];
            s0 += w[i] * v;
            s1 += w[cols + i] * v;
            s2 += w[2 * cols + i] * v;
            s3 += w[3 * cols + i] * v;
        }
        out[o0] = s0;
        out[o0 + 1] = s1;
        out[o0 + 2] = s2;
        out[o0 + 3] = s3;
    }
}
