package com.soportemax.inference.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FloatOpsTests {

    @Test
    void convertsHalfAndBfloat16Bits() {
        assertThat(FloatOps.halfToFloat((short) 0x3C00)).isEqualTo(1f);
        assertThat(FloatOps.halfToFloat((short) 0xBC00)).isEqualTo(-1f);
        assertThat(FloatOps.halfToFloat((short) 0x7C00)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(FloatOps.bfloat16ToFloat((short) 0xBF80)).isEqualTo(-1f);
        assertThat(FloatOps.bfloat16ToFloat((short) 0x4120)).isEqualTo(10f);
    }

    @Test
    void dotAndAxpyWorkOnOffsetRanges() {
        float[] a = {9, 1, 2, 3};
        float[] b = {4, 5, 6, 9};
        assertThat(FloatOps.dot(a, 1, b, 0, 3)).isEqualTo(1 * 4 + 2 * 5 + 3 * 6);
        float[] y = {1, 1, 1, 1};
        FloatOps.axpy(2f, a, 1, y, 1, 3);
        assertThat(y).containsExactly(1, 3, 5, 7);
        FloatOps.add(y, 0, b, 0, 2);
        assertThat(y).containsExactly(5, 8, 5, 7);
        FloatOps.scale(y, 2, 2, 0.5f);
        assertThat(y).containsExactly(5, 8, 2.5f, 3.5f);
    }

    @Test
    void rmsNormDividesByTheRootMeanSquareAndAppliesTheWeight() {
        float[] x = {1, 2, 3, 4};
        float[] w = {1, 1, 2, 0.5f};
        float[] out = new float[4];
        FloatOps.rmsNorm(out, 0, x, 0, w, 0, 4, 0f);
        float rms = (float) Math.sqrt(30.0 / 4);
        assertThat(out).containsExactly(new float[] {1 / rms, 2 / rms, 6 / rms, 2 / rms}, within(1e-6f));
        FloatOps.rmsNorm(x, 0, x, 0, w, 0, 4, 0f);
        assertThat(x).containsExactly(out, within(1e-6f));
    }

    @Test
    void softmaxGivesProbabilitiesEvenForHugeLogits() {
        float[] x = {7, 0, (float) Math.log(2), (float) Math.log(3), 7};
        FloatOps.softmax(x, 1, 3);
        assertThat(x).containsExactly(new float[] {7, 1 / 6f, 2 / 6f, 3 / 6f, 7}, within(1e-6f));
        float[] big = {1000f, 1000f, Float.NEGATIVE_INFINITY};
        FloatOps.softmax(big, 0, 3);
        assertThat(big).containsExactly(0.5f, 0.5f, 0f);
    }

    @Test
    void siluMulGatesTheUpProjection() {
        float[] gate = {0, 1, -20, 20};
        float[] up = {5, 2, 3, 0.5f};
        float[] out = new float[4];
        FloatOps.siluMul(gate, 0, up, 0, out, 0, 4);
        assertThat(out[0]).isEqualTo(0f);
        assertThat(out[1]).isCloseTo((float) (2 / (1 + Math.exp(-1))), within(1e-6f));
        assertThat(out[2]).isCloseTo(0f, within(1e-6f));
        assertThat(out[3]).isCloseTo(10f, within(1e-5f));
    }

    private static float[] random(int n, Random rng, float spread) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian() * spread;
        }
        return v;
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        for (int i = 0; i < expected.length; i++) {
            float tolerance = 1e-4f * Math.max(1e-3f, Math.abs(expected[i]));
            assertThat(actual[i]).as("%s at %d", what, i).isCloseTo(expected[i], within(tolerance));
        }
    }

    @Test
    void vectorizedOpsMatchTheirScalarReferencesOnOddLengthsAndOffsets() {
        Random rng = new Random(3);
        for (int length : new int[] {1, 7, 16, 17, 33, 896, 1001}) {
            int off = 3;
            float[] a = random(length + 5, rng, 2f);
            float[] b = random(length + 5, rng, 2f);
            float dotScale = 0;
            for (int i = 0; i < length; i++) {
                dotScale += Math.abs(a[off + i] * b[1 + i]);
            }
            assertThat(FloatOps.dot(a, off, b, 1, length))
                    .isCloseTo(FloatOps.dotReference(a, off, b, 1, length), within(1e-4f * dotScale));

            float[] y1 = b.clone();
            float[] y2 = b.clone();
            FloatOps.axpy(0.7f, a, off, y1, 1, length);
            FloatOps.axpyReference(0.7f, a, off, y2, 1, length);
            assertClose(y1, y2, "axpy " + length);

            y1 = b.clone();
            y2 = b.clone();
            FloatOps.add(y1, 2, a, off, length);
            FloatOps.addReference(y2, 2, a, off, length);
            assertClose(y1, y2, "add " + length);

            y1 = b.clone();
            y2 = b.clone();
            FloatOps.scale(y1, 2, length, -1.5f);
            FloatOps.scaleReference(y2, 2, length, -1.5f);
            assertClose(y1, y2, "scale " + length);

            float[] weight = random(length + 1, rng, 1f);
            y1 = new float[length + 2];
            y2 = new float[length + 2];
            FloatOps.rmsNorm(y1, 2, a, off, weight, 1, length, 1e-6f);
            FloatOps.rmsNormReference(y2, 2, a, off, weight, 1, length, 1e-6f);
            assertClose(y1, y2, "rmsNorm " + length);

            float[] logits = random(length + 5, rng, 8f);
            y1 = logits.clone();
            y2 = logits.clone();
            FloatOps.softmax(y1, off, length);
            FloatOps.softmaxReference(y2, off, length);
            assertClose(y1, y2, "softmax " + length);

            y1 = new float[length + 1];
            y2 = new float[length + 1];
            FloatOps.siluMul(a, off, b, 2, y1, 1, length);
            FloatOps.siluMulReference(a, off, b, 2, y2, 1, length);
            assertClose(y1, y2, "siluMul " + length);
        }
    }

    @Test
    void softmaxOfAMaskedRowKeepsMaskedEntriesAtZero() {
        float[] x = new float[40];
        java.util.Arrays.fill(x, Float.NEGATIVE_INFINITY);
        x[5] = 2f;
        x[33] = 2f;
        FloatOps.softmax(x, 0, 40);
        for (int i = 0; i < 40; i++) {
            assertThat(x[i]).as("entry %d", i).isEqualTo(i == 5 || i == 33 ? 0.5f : 0f);
        }
    }

    @Test
    void logSumExpOfAVocabularyOfLogitsMatchesTheDoublePrecisionSum() {
        Random rng = new Random(5);
        for (int length : new int[] {1, 17, 151_936}) {
            float[] logits = new float[length + 3];
            for (int i = 0; i < logits.length; i++) logits[i] = (float) (rng.nextGaussian() * 4 + 20);
            double exact = FloatOps.logSumExpReference(logits, 2, length);
            assertThat(FloatOps.logSumExp(logits, 2, length)).as("length %d", length).isCloseTo(exact, within(1e-6));
        }
        float[] masked = {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY};
        assertThat(FloatOps.logSumExp(masked, 0, 3)).isEqualTo(0.0);
    }

    @Test
    void q8_0RoundingIsBitIdenticalToTheReference() {
        Random rng = new Random(8);
        int n = 64 * 32;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (rng.nextGaussian() * Math.pow(10, (i / 32) % 7 - 3));
        java.util.Arrays.fill(x, 32, 64, 0f); // a block of zeros
        for (int i = 64; i < 96; i++) x[i] = (i % 3 - 1) * 0.5f; // values that land on ties
        float[] expected = new float[n];
        float[] actual = new float[n];
        FloatOps.roundToQ8_0Reference(x, expected, n);
        FloatOps.roundToQ8_0(x, actual, n);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("value %d: %s vs %s", i, actual[i], expected[i])
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }
}
