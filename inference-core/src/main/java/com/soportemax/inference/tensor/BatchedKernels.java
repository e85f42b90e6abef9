package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Products with several input vectors (prefill). Four rows at a time are dequantized once into a float scratch, then
 * multiplied with the vectors two by two: eight accumulators, and each loaded float serves several products, so the
 * cost of dequantizing is shared by the whole batch and the vectors are read a quarter as often.
 */
final class BatchedKernels {

    private static final int ROWS = 4;

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
                out[b * rows + r] = FloatOps.dot(w, 0, in, b * cols, cols);
            }
        }
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
        float s00 = a00.reduceLanes(VectorOperators.ADD), s01 = a01.reduceLanes(VectorOperators.ADD);
        float s10 = a10.reduceLanes(VectorOperators.ADD), s11 = a11.reduceLanes(VectorOperators.ADD);
        float s20 = a20.reduceLanes(VectorOperators.ADD), s21 = a21.reduceLanes(VectorOperators.ADD);
        float s30 = a30.reduceLanes(VectorOperators.ADD), s31 = a31.reduceLanes(VectorOperators.ADD);
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
        float s0 = a0.reduceLanes(VectorOperators.ADD), s1 = a1.reduceLanes(VectorOperators.ADD);
        float s2 = a2.reduceLanes(VectorOperators.ADD), s3 = a3.reduceLanes(VectorOperators.ADD);
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
