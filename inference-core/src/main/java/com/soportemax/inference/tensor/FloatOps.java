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
        float sum = VectorShapes.sum(acc0.add(acc1));
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
        if (!VectorShapes.ENABLED) {
            axpyReference(alpha, x, xOffset, y, yOffset, length);
            return;
        }
        FloatVector a = FloatVector.broadcast(F, alpha);
        int bound = F.loopBound(length);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOffset + i).fma(a, FloatVector.fromArray(F, y, yOffset + i))
                    .intoArray(y, yOffset + i);
        }
        for (; i < length; i++) {
            y[yOffset + i] += alpha * x[xOffset + i];
        }
    }

    static void axpyReference(float alpha, float[] x, int xOffset, float[] y, int yOffset, int length) {
        for (int i = 0; i < length; i++) {
            y[yOffset + i] += alpha * x[xOffset + i];
        }
    }

    /** {@code x[offset + i] *= factor} for i in [0, length). */
    public static void scale(float[] x, int offset, int length, float factor) {
        if (!VectorShapes.ENABLED) {
            scaleReference(x, offset, length, factor);
            return;
        }
        int bound = F.loopBound(length);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, offset + i).mul(factor).intoArray(x, offset + i);
        }
        for (; i < length; i++) {
            x[offset + i] *= factor;
        }
    }

    static void scaleReference(float[] x, int offset, int length, float factor) {
        for (int i = 0; i < length; i++) {
            x[offset + i] *= factor;
        }
    }

    /** {@code acc[accOffset + i] += x[xOffset + i]} for i in [0, length) (residual connections). */
    public static void add(float[] acc, int accOffset, float[] x, int xOffset, int length) {
        if (!VectorShapes.ENABLED) {
            addReference(acc, accOffset, x, xOffset, length);
            return;
        }
        int bound = F.loopBound(length);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, acc, accOffset + i).add(FloatVector.fromArray(F, x, xOffset + i))
                    .intoArray(acc, accOffset + i);
        }
        for (; i < length; i++) {
            acc[accOffset + i] += x[xOffset + i];
        }
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
        if (!VectorShapes.ENABLED) {
            rmsNormReference(out, outOffset, x, xOffset, weight, weightOffset, length, epsilon);
            return;
        }
        int bound = F.loopBound(length);
        FloatVector squares = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, xOffset + i);
            squares = v.fma(v, squares);
        }
        double sumOfSquares = VectorShapes.sum(squares);
        for (; i < length; i++) {
            float v = x[xOffset + i];
            sumOfSquares += v * v;
        }
        float scale = (float) (1.0 / Math.sqrt(sumOfSquares / length + epsilon));
        i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, xOffset + i).mul(scale).mul(FloatVector.fromArray(F, weight, weightOffset + i))
                    .intoArray(out, outOffset + i);
        }
        for (; i < length; i++) {
            out[outOffset + i] = x[xOffset + i] * scale * weight[weightOffset + i];
        }
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
        if (!VectorShapes.ENABLED || length == 0) {
            softmaxReference(x, offset, length);
            return;
        }
        int bound = F.loopBound(length);
        float max = max(x, offset, length);
        FloatVector sums = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector e = FloatVector.fromArray(F, x, offset + i).sub(max).lanewise(VectorOperators.EXP);
            e.intoArray(x, offset + i);
            sums = sums.add(e);
        }
        float sum = VectorShapes.sum(sums);
        for (; i < length; i++) {
            float e = (float) Math.exp(x[offset + i] - max);
            x[offset + i] = e;
            sum += e;
        }
        scale(x, offset, length, 1f / sum);
    }

    /** The largest of {@code x[offset ... offset + length)}; vectorized (the maximum does not depend on order). */
    static float max(float[] x, int offset, int length) {
        int bound = F.loopBound(length);
        FloatVector maxima = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int i = 0;
        for (; i < bound; i += F.length()) {
            maxima = maxima.max(FloatVector.fromArray(F, x, offset + i));
        }
        float max = maxima.reduceLanes(VectorOperators.MAX);
        for (; i < length; i++) {
            max = Math.max(max, x[offset + i]);
        }
        return max;
    }

    /**
     * The log of the sum of {@code exp(x[i])} over {@code x[offset ... offset + length)} (the softmax normaliser of
     * logits), computed as {@code max + log(sum exp(x[i] - max))}. The exponentials are vectorized in float and summed
     * in double every few vectors, so a vocabulary of 150,000 logits loses no more than about 1e-7 in the result.
     */
    public static double logSumExp(float[] x, int offset, int length) {
        if (!VectorShapes.ENABLED || length == 0) {
            return logSumExpReference(x, offset, length);
        }
        int bound = F.loopBound(length);
        float max = max(x, offset, length);
        if (max == Float.NEGATIVE_INFINITY || Float.isNaN(max) || max == Float.POSITIVE_INFINITY) {
            return logSumExpReference(x, offset, length);
        }
        double sum = 0;
        int i = 0;
        while (i < bound) {
            FloatVector sums = FloatVector.zero(F);
            int end = Math.min(bound, i + 32 * F.length());
            for (; i < end; i += F.length()) {
                sums = sums.add(FloatVector.fromArray(F, x, offset + i).sub(max).lanewise(VectorOperators.EXP));
            }
            sum += VectorShapes.sum(sums);
        }
        for (; i < length; i++) {
            sum += Math.exp(x[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    static double logSumExpReference(float[] x, int offset, int length) {
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < length; i++) {
            max = Math.max(max, x[offset + i]);
        }
        double sum = 0;
        for (int i = 0; i < length; i++) {
            sum += Math.exp(x[offset + i] - max);
        }
        return max + Math.log(sum);
    }

    /**
     * Rounds {@code src[0 .. n)} to Q8_0 values into {@code dst}, block by block of 32 (n a multiple of 32), as ggml's
     * quantize_row_q8_0 (x86 SIMD variant) does before a product with Q8_0/Q4_0 weights: d = amax / 127 stored as
     * fp16, q = round-half-even(x * 127 / amax), value q * d. Bit-identical to {@link #roundToQ8_0Reference}.
     */
    public static void roundToQ8_0(float[] src, float[] dst, int n) {
        if (n % 32 != 0) throw new IllegalArgumentException("Q8_0 rounds blocks of 32 values, got " + n);
        if (!VectorShapes.ENABLED) {
            roundToQ8_0Reference(src, dst, n);
            return;
        }
        int lanes = F.length();
        for (int o = 0; o < n; o += 32) {
            FloatVector amax = FloatVector.fromArray(F, src, o).abs();
            for (int j = lanes; j < 32; j += lanes) amax = amax.max(FloatVector.fromArray(F, src, o + j).abs());
            float max = amax.reduceLanes(VectorOperators.MAX);
            float d = Halves.round(max / 127f);
            float id = max != 0 ? 127f / max : 0f;
            for (int j = 0; j < 32; j += lanes) {
                // |x * id| <= 127: adding and removing 1.5 * 2^23 rounds to the nearest integer, ties to even; the
                // sign bit is put back for values that round to zero (rint gives -0.0 there)
                FloatVector v = FloatVector.fromArray(F, src, o + j).mul(id);
                FloatVector q = v.add(ROUNDING).sub(ROUNDING);
                q = q.reinterpretAsInts().or(v.reinterpretAsInts().and(0x80000000)).reinterpretAsFloats();
                q.mul(d).intoArray(dst, o + j);
            }
        }
    }

    private static final float ROUNDING = 12582912f;

    static void roundToQ8_0Reference(float[] x, float[] y, int n) {
        for (int o = 0; o < n; o += 32) {
            float amax = 0;
            for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
            float d = Halves.round(amax / 127f);
            float id = amax != 0 ? 127f / amax : 0f;
            for (int j = 0; j < 32; j++) y[o + j] = d * (float) Math.rint(x[o + j] * id);
        }
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
        if (!VectorShapes.ENABLED) {
            siluMulReference(gate, gateOffset, up, upOffset, out, outOffset, length);
            return;
        }
        int bound = F.loopBound(length);
        int i = 0;
        for (; i < bound; i += F.length()) {
            FloatVector g = FloatVector.fromArray(F, gate, gateOffset + i);
            FloatVector sigmoidDenominator = g.neg().lanewise(VectorOperators.EXP).add(1f);
            g.div(sigmoidDenominator).mul(FloatVector.fromArray(F, up, upOffset + i)).intoArray(out, outOffset + i);
        }
        for (; i < length; i++) {
            float g = gate[gateOffset + i];
            out[outOffset + i] = g / (1f + (float) Math.exp(-g)) * up[upOffset + i];
        }
    }

    static void siluMulReference(float[] gate, int gateOffset, float[] up, int upOffset, float[] out, int outOffset,
                                 int length) {
        for (int i = 0; i < length; i++) {
            float g = gate[gateOffset + i];
            out[outOffset + i] = g / (1f + (float) Math.exp(-g)) * up[upOffset + i];
        }
    }
}
