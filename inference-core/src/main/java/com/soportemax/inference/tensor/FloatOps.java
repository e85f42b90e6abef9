package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Float vector operations of the forward pass. Each public method has a plain scalar reference beside it
 * ({@code ...Reference}) that tests compare it with. Ranges are given as array + offset + length; an output may be
 * the same array range as an input where stated.
 */
public final class FloatOps {

    private FloatOps() {
    }

    /** IEEE 754 binary16 bits to float (exact). */
    public static float halfToFloat(short bits) {
        return Float.float16ToFloat(bits);
    }

    /** bfloat16 bits (the upper half of a float) to float (exact). */
    public static float bfloat16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xFFFF) << 16);
    }

    /** Sum of {@code a[aOffset + i] * b[bOffset + i]} for i in [0, length). */
    public static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        return VectorShapes.ENABLED ? dotVector(a, aOffset, b, bOffset, length)
                : dotReference(a, aOffset, b, bOffset, length);
    }

    static float dotVector(float[] a, int aOffset, float[] b, int bOffset, int length) {
        int lanes = F.length();
        int bound = F.loopBound(length);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + lanes < bound; i += 2 * lanes) {
            acc0 = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc0);
            acc1 = FloatVector.fromArray(F, a, aOffset + i + lanes)
                    .fma(FloatVector.fromArray(F, b, bOffset + i + lanes), acc1);
        }
        for (; i < bound; i += lanes) {
            acc0 = FloatVector.fromArray(F, a, aOffset + i).fma(FloatVector.fromArray(F, b, bOffset + i), acc0);
        }
        float sum = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    static float dotReference(float[] a, int aOffset, float[] b, int bOffset, int length) {
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            sum += a[aOffset + i] * b[bOffset + i];
        }
        return sum;
    }

    /** {@code y[yOffset + i] += alpha * x[xOffset + i]} for i in [0, length). */
    public static void axpy(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        axpyReference(alpha, x, xOffset, y, yOffset, length);
    }

    static void axpyReference(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        for (int i = 0; i < length; i++) {
            y[yOffset + i] += alpha * x[xOffset + i];
        }
    }

    /** {@code x[offset + i] *= factor} for i in [0, length). */
    public static void scale(float[] x, int offset, int length, float factor) {
        scaleReference(x, offset, length, factor);
    }

    static void scaleReference(float[] x, int offset, int length, float factor) {
        for (int i = 0; i < length; i++) {
            x[offset + i] *= factor;
        }
    }

    /** {@code acc[accOffset + i] += x[xOffset + i]} for i in [0, length) (residual connections). */
    public static void add(float[] acc, int accOffset, float[] x, int xOffset, int length) {
        addReference(acc, accOffset, x, xOffset, length);
    }

    static void addReference(float[] acc, int accOffset, float[] x, int xOffset, int length) {
        for (int i = 0; i < length; i++) {
            acc[accOffset + i] += x[xOffset + i];
        }
    }

    /**
     * RMS normalisation with a learned weight: {@code out[i] = x[i] / sqrt(mean(x^2) + epsilon) * weight[i]} over
     * {@code length} values. {@code out} may be the same range as {@code x}. The mean of squares is accumulated in
     * double, as rounding there is visible at large widths.
     */
    public static void rmsNorm(float[] out, int outOffset, float[] x, int xOffset, float[] weight, int weightOffset,
                               int length, float epsilon) {
        rmsNormReference(out, outOffset, x, xOffset, weight, weightOffset, length, epsilon);
    }

    static void rmsNormReference(float[] out, int outOffset, float[] x, int xOffset, float[] weight,
                                 int weightOffset, int length, float epsilon) {
        double sumOfSquares = 0;
        for (int i = 0; i < length; i++) {
            float v = x[xOffset + i];
            sumOfSquares += v * v;
        }
        float scale = (float) (1.0 / Math.sqrt(sumOfSquares / length + epsilon));
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = x[xOffset + i] * scale * weight[weightOffset + i];
        }
    }

    /**
     * Softmax in place over {@code x[offset ... offset + length)}: subtracts the maximum before exponentiating, so
     * large logits do not overflow. Entries equal to negative infinity (masked) become 0.
     */
    public static void softmax(float[] x, int offset, int length) {
        softmaxReference(x, offset, length);
    }

    static void softmaxReference(float[] x, int offset, int length) {
        if (length == 0) {
            return;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, x[offset + i]);
        }
        float sum = 0f;
        for (int i = 0; i < length; i++) {
            float e = (float) Math.exp(x[offset + i] - max);
            x[offset + i] = e;
            sum += e;
        }
        float inverse = 1f / sum;
        for (int i = 0; i < length; i++) {
            x[offset + i] *= inverse;
        }
    }

    /**
     * SwiGLU: {@code out[i] = silu(gate[i]) * up[i]} with {@code silu(g) = g / (1 + exp(-g))}. {@code out} may be the
     * same range as {@code gate} or {@code up}.
     */
    public static void siluMul(float[] gate, int gateOffset, float[] up, int upOffset, float[] out, int outOffset,
                               int length) {
        siluMulReference(gate, gateOffset, up, upOffset, out, outOffset, length);
    }

    static void siluMulReference(float[] gate, int gateOffset, float[] up, int upOffset, float[] out, int outOffset,
                                 int length) {
        for (int i = 0; i < length; i++) {
            float g = gate[gateOffset + i];
            out[outOffset + i] = g / (1f + (float) Math.exp(-g)) * up[upOffset + i];
        }
    }
}
