package com.soportemax.inference.model;

import com.soportemax.inference.tensor.FloatOps;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.Halves;

/**
 * Rounds activations the way ggml's CPU backend does before a matrix product: it converts the input vector to the
 * weight type's "vec_dot" format (Q8_0 for Q4_0/Q8_0 weights, Q8_K for the K-quants, F16/BF16 for half-precision
 * weights) and multiplies integer blocks. Feeding our float kernels the same rounded values gives llama.cpp's
 * results up to summation order, which keeps greedy decoding in step with it.
 */
final class ActivationRounding {

    private ActivationRounding() {
    }

    /** Writes the rounded copy of {@code src[0 .. rows*cols)} into {@code dst}; each row of {@code cols} separately. */
    static void apply(GgmlType weightType, float[] src, float[] dst, int rows, int cols) {
        int n = rows * cols;
        switch (weightType) {
            case F32 -> System.arraycopy(src, 0, dst, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) dst[i] = Halves.round(src[i]);
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) dst[i] = roundToBf16(src[i]);
            }
            // Q4_1 and Q5_1 use Q8_1, whose values are Q8_0's (it only adds a stored block sum)
            case Q8_0, Q4_0, Q5_0, Q4_1, Q5_1 -> FloatOps.roundToQ8_0(src, dst, n);
            case Q4_K, Q5_K, Q6_K -> {
                for (int b = 0; b < n; b += 256) q8_K(src, dst, b);
            }
            default -> throw new UnsupportedOperationException("no activation rounding for " + weightType);
        }
    }

    // ggml quantize_row_q8_K_ref: scale from the signed value of largest magnitude, d = 1 / (-127 / max) in f32
    private static void q8_K(float[] x, float[] y, int o) {
        float amax = 0, max = 0;
        for (int j = 0; j < 256; j++) {
            float ax = Math.abs(x[o + j]);
            if (ax > amax) {
                amax = ax;
                max = x[o + j];
            }
        }
        if (amax == 0) {
            for (int j = 0; j < 256; j++) y[o + j] = 0;
            return;
        }
        float iscale = -127f / max;
        float d = 1 / iscale;
        for (int j = 0; j < 256; j++) y[o + j] = d * Math.min(127, (int) Math.rint(iscale * x[o + j]));
    }

    private static float roundToBf16(float v) {
        int bits = Float.floatToRawIntBits(v);
        if (Float.isNaN(v)) return v;
        // round half to even on the upper 16 bits, as ggml's fp32 -> bf16
        bits = (bits + (0x7FFF + ((bits >>> 16) & 1))) & 0xFFFF0000;
        return Float.intBitsToFloat(bits);
    }
}
