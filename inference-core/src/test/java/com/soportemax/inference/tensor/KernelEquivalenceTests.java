package com.soportemax.inference.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Holds every optimized kernel to its scalar reference: products within 1e-4 of the reference, relative to the size
 * of the terms summed (sum of |w*x|; summation order differs, so cancellation can leave a small result with a large
 * absolute error), and dequantization bit-exact.
 */
class KernelEquivalenceTests {

    private static final double TOLERANCE = 1e-4;

    private static int colsFor(GgmlType type) {
        // Several blocks, and for the one-value types a length that leaves a tail after the vector loop. 43 blocks of
        // 32: Q8_0 cuts rows into segments of 16 (or 8) blocks and then 8, 2 and 1 (or 2, 1): every segment shape.
        return type.blockSize() == 1 ? 141 : type.blockSize() == 32 ? 43 * 32 : 3 * 256;
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void optimizedProductMatchesTheReferenceForBatchesOneToNineAndOddRowRanges(GgmlType type) {
        int rows = 13;
        int cols = colsFor(type);
        Random rng = new Random(type.ordinal() * 31L + 5);
        try (Arena arena = Arena.ofConfined()) {
            BlockMatrix m = (BlockMatrix) WeightMatrices.of(type, TestBlocks.random(type, rows, cols, rng, arena),
                    rows, cols);
            float[][] dequantized = new float[rows][cols];
            for (int r = 0; r < rows; r++) {
                m.dequantizeRowReference(r, dequantized[r], 0);
            }
            for (int batch = 1; batch <= 9; batch++) {
                float[] in = TestBlocks.randomFloats(batch * cols, rng);
                for (int[] range : new int[][] {{0, rows}, {3, 12}, {5, 6}, {1, 8}}) {
                    float[] expected = new float[batch * rows];
                    float[] actual = new float[batch * rows];
                    Arrays.fill(actual, Float.NaN);
                    m.multiplyReference(in, expected, batch, range[0], range[1]);
                    m.multiply(in, actual, batch, range[0], range[1]);
                    for (int b = 0; b < batch; b++) {
                        for (int r = 0; r < rows; r++) {
                            float got = actual[b * rows + r];
                            if (r < range[0] || r >= range[1]) {
                                assertThat(got).as("row %d outside the range stays untouched", r).isNaN();
                                continue;
                            }
                            double scale = 0;
                            for (int i = 0; i < cols; i++) {
                                scale += Math.abs(dequantized[r][i] * in[b * cols + i]);
                            }
                            assertThat((double) Math.abs(got - expected[b * rows + r]))
                                    .as("%s batch %d vector %d row %d: %s vs reference %s", type, batch, b, r, got,
                                            expected[b * rows + r])
                                    .isLessThanOrEqualTo(TOLERANCE * scale);
                        }
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void parallelProductEqualsTheSingleThreadedOne(GgmlType type) {
        int rows = 37;
        int cols = colsFor(type);
        Random rng = new Random(type.ordinal() + 99L);
        try (Arena arena = Arena.ofShared(); KernelPool pool = KernelPools.create(3)) {
            WeightMatrix m = WeightMatrices.of(type, TestBlocks.random(type, rows, cols, rng, arena), rows, cols);
            for (int batch : new int[] {1, 2, 5}) {
                float[] in = TestBlocks.randomFloats(batch * cols, rng);
                float[] single = new float[batch * rows];
                float[] parallel = new float[batch * rows];
                m.multiply(in, single, batch, 0, rows);
                m.multiply(in, parallel, batch, pool);
                assertThat(parallel).as("%s batch %d", type, batch).containsExactly(single);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void eachVectorOfAMixedProductIsWhatItIsAloneWhateverTheBatch(GgmlType type) {
        int rows = 37;
        int cols = colsFor(type);
        Random rng = new Random(type.ordinal() + 7L);
        try (Arena arena = Arena.ofShared(); KernelPool pool = KernelPools.create(2)) {
            WeightMatrix m = WeightMatrices.of(type, TestBlocks.random(type, rows, cols, rng, arena), rows, cols);
            float[] in = TestBlocks.randomFloats(9 * cols, rng);
            // a prompt vector's result as in a batch of prompt vectors of another size; a generated vector's as alone
            float[] promptsAlone = new float[9 * rows];
            m.multiplyMixed(in, promptsAlone, 9, 9, pool);
            float[] each = new float[rows];
            for (int prompt = 0; prompt <= 3; prompt++) {
                for (int batch = Math.max(prompt, 1); batch <= 9; batch += 2) {
                    float[] mixed = new float[batch * rows];
                    m.multiplyMixed(in, mixed, prompt, batch, pool);
                    for (int b = 0; b < batch; b++) {
                        float[] expected;
                        if (b < prompt) {
                            expected = java.util.Arrays.copyOfRange(promptsAlone, b * rows, (b + 1) * rows);
                        } else {
                            m.multiply(java.util.Arrays.copyOfRange(in, b * cols, (b + 1) * cols), each, 1, pool);
                            expected = each;
                        }
                        assertThat(java.util.Arrays.copyOfRange(mixed, b * rows, (b + 1) * rows))
                                .as("%s: vector %d of %d, %d prompt vectors", type, b, batch, prompt)
                                .containsExactly(expected);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void optimizedDequantizationIsBitIdenticalToTheReference(GgmlType type) {
        int rows = 4;
        int cols = colsFor(type);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = TestBlocks.random(type, rows, cols, new Random(type.ordinal()), arena);
            BlockMatrix m = (BlockMatrix) WeightMatrices.of(type, data, rows, cols);
            for (int r = 0; r < rows; r++) {
                float[] expected = new float[cols + 3];
                float[] actual = new float[cols + 3];
                m.dequantizeRowReference(r, expected, 2);
                m.dequantizeRow(r, actual, 2);
                assertThat(actual).as("%s row %d", type, r).containsExactly(expected);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F16", "BF16"})
    void everySixteenBitPatternConvertsAsTheReferenceDoes(GgmlType type) {
        int cols = 1 << 16;
        MemorySegment data = MemorySegment.ofArray(new short[cols]);
        for (int bits = 0; bits < cols; bits++) {
            data.set(ReferenceKernels.SHORT_LE, 2L * bits, (short) bits);
        }
        BlockMatrix m = (BlockMatrix) WeightMatrices.of(type, data, 1, cols);
        float[] expected = new float[cols];
        float[] actual = new float[cols];
        m.dequantizeRowReference(0, expected, 0);
        m.dequantizeRow(0, actual, 0);
        for (int bits = 0; bits < cols; bits++) {
            assertThat(Float.floatToRawIntBits(actual[bits])).as("%s bits 0x%04x", type, bits)
                    .isEqualTo(Float.floatToRawIntBits(expected[bits]));
        }
    }

    @org.junit.jupiter.api.Test
    void fourWayLaneSumIsBitIdenticalToFourSingleSums() {
        Random rng = new Random(11);
        int lanes = VectorShapes.LANES;
        float[] values = new float[4 * lanes];
        float[] together = new float[8];
        for (int round = 0; round < 1000; round++) {
            for (int i = 0; i < values.length; i++) {
                // magnitudes far apart, so that any change in the order of additions shows in the result
                values[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(12) - 6));
            }
            jdk.incubator.vector.FloatVector[] v = new jdk.incubator.vector.FloatVector[4];
            for (int k = 0; k < 4; k++) v[k] = jdk.incubator.vector.FloatVector.fromArray(VectorShapes.F, values, k * lanes);
            VectorShapes.sum4(v[0], v[1], v[2], v[3], together, 1, 2);
            for (int k = 0; k < 4; k++) {
                assertThat(Float.floatToRawIntBits(together[1 + 2 * k])).as("vector %d, round %d", k, round)
                        .isEqualTo(Float.floatToRawIntBits(VectorShapes.sum(v[k])));
            }
        }
    }
}
