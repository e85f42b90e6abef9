package com.soportemax.inference.tensor;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The encoder kernels agree with their scalar references, and the references with the formulas they stand for. */
class EncoderOpsTests {

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {1, 7, 16, 33, 384, 1000})
    void layerNormMatchesItsScalarReference(int length) {
        Random random = new Random(length);
        float[] x = values(random, length + 3, 4f, 1.5f);
        float[] weight = values(random, length, 1f, 0.5f);
        float[] bias = values(random, length, 0f, 0.2f);
        float[] fast = new float[length + 5];
        float[] slow = new float[length + 5];
        EncoderOps.layerNorm(fast, 2, x, 3, weight, bias, length, 1e-12f);
        EncoderOps.layerNormReference(slow, 2, x, 3, weight, bias, length, 1e-12f);
        for (int i = 0; i < length + 5; i++) assertThat(fast[i]).as("element %d", i).isCloseTo(slow[i], within(2e-5f));
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {16, 384})
    void layerNormGivesZeroMeanAndUnitVarianceBeforeWeightAndBias(int length) {
        Random random = new Random(7);
        float[] x = values(random, length, -3f, 2f);
        float[] ones = new float[length];
        java.util.Arrays.fill(ones, 1f);
        float[] out = new float[length];
        EncoderOps.layerNorm(out, 0, x, 0, ones, new float[length], length, 1e-12f);
        double mean = 0, variance = 0;
        for (float v : out) mean += v;
        mean /= length;
        for (float v : out) variance += (v - mean) * (v - mean);
        assertThat(mean).isCloseTo(0, within(1e-5));
        assertThat(variance / length).isCloseTo(1, within(1e-4));
    }

    @ParameterizedTest(name = "around {0}")
    @ValueSource(floats = {0f, 1f, 4f, 12f})
    void geluMatchesItsScalarReferenceAndTheTanhFormula(float spread) {
        Random random = new Random(Float.floatToIntBits(spread));
        float[] x = values(random, 4096, 0f, spread + 0.5f);
        x[0] = -10f;
        x[1] = 10f;
        x[2] = -25f;
        x[3] = 25f;
        float[] fast = x.clone();
        float[] slow = x.clone();
        EncoderOps.gelu(fast, 0, x.length);
        EncoderOps.geluReference(slow, 0, x.length);
        assertThat(fast).containsExactly(slow);
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            double exact = 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
            // fp16 in and out: a relative error of about 2^-10 twice, plus the cut-offs at +-10
            assertThat(fast[i]).as("gelu(%s)", v).isCloseTo((float) exact, within((float) (Math.abs(exact) * 3e-3 + 2e-3)));
        }
    }

    private static float[] values(Random random, int n, float mean, float spread) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = mean + (float) random.nextGaussian() * spread;
        return v;
    }
}
