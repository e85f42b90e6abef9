package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.F;

import jdk.incubator.vector.FloatVector;

/**
 * Vector operations of encoder models (BERT): layer normalisation with a bias, and GELU. Each has a plain scalar
 * reference beside it ({@code ...Reference}) that tests hold it to.
 */
public final class EncoderOps {

    private static final float SQRT_2_OVER_PI = 0.79788456080286535587989211986876f;
    private static final float GELU_COEF_A = 0.044715f;

    /** GELU of every fp16 value, itself rounded to fp16: ggml's CPU backend computes GELU through such a table. */
    private static final float[] GELU_TABLE = new float[1 << 16];

    static {
        for (int bits = 0; bits < GELU_TABLE.length; bits++) {
            GELU_TABLE[bits] = toHalf(geluTanh(Float.float16ToFloat((short) bits)));
        }
    }

    private EncoderOps() {
    }

    /**
     * Layer normalisation: {@code out[i] = (x[i] - mean) / sqrt(variance + epsilon) * weight[i] + bias[i]} over
     * {@code length} values (the biased variance, as ggml's {@code ggml_norm}). {@code out} may be the same range as
     * {@code x}. Sums are accumulated in double.
     */
    public static void layerNorm(float[] out, int outOffset, float[] x, int xOffset, float[] weight, float[] bias,
                                 int length, float epsilon) {
        if (!VectorShapes.ENABLED) {
            layerNormReference(out, outOffset, x, xOffset, weight, bias, length, epsilon);
            return;
        }
        int bound = F.loopBound(length);
        FloatVector sums = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) sums = sums.add(FloatVector.fromArray(F, x, xOffset + i));
        double sum = VectorShapes.sum(sums);
        for (; i < length; i++) sum += x[xOffset + i];
        float mean = (float) (sum / length);
        FloatVector squares = FloatVector.zero(F);
        i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector centred = FloatVector.fromArray(F, x, xOffset + i).sub(mean);
            squares = centred.fma(centred, squares);
        }
        double sumOfSquares = VectorShapes.sum(squares);
        for (; i < length; i++) {
            float centred = x[xOffset + i] - mean;
            sumOfSquares += centred * centred;
        }
        float scale = (float) (1.0 / Math.sqrt(sumOfSquares / length + epsilon));
        i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOffset + i).sub(mean).mul(scale)
                    .fma(FloatVector.fromArray(F, weight, i), FloatVector.fromArray(F, bias, i))
                    .intoArray(out, outOffset + i);
        }
        for (; i < length; i++) {
            out[outOffset + i] = (x[xOffset + i] - mean) * scale * weight[i] + bias[i];
        }
    }

    static void layerNormReference(float[] out, int outOffset, float[] x, int xOffset, float[] weight, float[] bias,
                                   int length, float epsilon) {
        double sum = 0;
        for (int i = 0; i < length; i++) sum += x[xOffset + i];
        float mean = (float) (sum / length);
        double sumOfSquares = 0;
        for (int i = 0; i < length; i++) {
            float centred = x[xOffset + i] - mean;
            sumOfSquares += centred * centred;
        }
        float scale = (float) (1.0 / Math.sqrt(sumOfSquares / length + epsilon));
        for (int i = 0; i < length; i++) {
            out[outOffset + i] = (x[xOffset + i] - mean) * scale * weight[i] + bias[i];
        }
    }

    /**
     * GELU in place, the tanh approximation {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, evaluated as
     * ggml does on the CPU: the input rounded to fp16, the result rounded to fp16, identity from 10 up, 0 from -10
     * down.
     */
    public static void gelu(float[] x, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            float v = x[i];
            x[i] = v <= -10f ? 0f : v >= 10f ? v : GELU_TABLE[Float.floatToFloat16(v) & 0xFFFF];
        }
    }

    static void geluReference(float[] x, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            float v = x[i];
            x[i] = v <= -10f ? 0f : v >= 10f ? v : toHalf(geluTanh(toHalf(v)));
        }
    }

    private static float geluTanh(float x) {
        return 0.5f * x * (1f + (float) Math.tanh(SQRT_2_OVER_PI * x * (1f + GELU_COEF_A * x * x)));
    }

    private static float toHalf(float v) {
        return Float.float16ToFloat(Float.floatToFloat16(v));
    }
}
