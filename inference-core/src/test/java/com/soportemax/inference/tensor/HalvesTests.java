package com.soportemax.inference.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jdk.incubator.vector.ShortVector;
import org.junit.jupiter.api.Test;

class HalvesTests {

    @Test
    void vectorConversionGivesEveryHalfExactlyAsTheScalarOne() {
        assumeTrue(VectorShapes.ENABLED, "the Vector API kernels are off on this machine");
        int lanes = VectorShapes.LANES;
        short[] halves = new short[lanes];
        float[] converted = new float[lanes];
        for (int first = 0; first < 1 << 16; first += lanes) {
            for (int j = 0; j < lanes; j++) halves[j] = (short) (first + j);
            Halves.toFloats(ShortVector.fromArray(VectorShapes.S, halves, 0)).intoArray(converted, 0);
            for (int j = 0; j < lanes; j++) {
                assertThat(Float.floatToRawIntBits(converted[j])).as("half 0x%04x", first + j)
                        .isEqualTo(Float.floatToRawIntBits(Float.float16ToFloat(halves[j])));
            }
        }
    }

    @Test
    void oneInfinityAmongFiniteHalvesLeavesTheOthersExact() {
        assumeTrue(VectorShapes.ENABLED, "the Vector API kernels are off on this machine");
        int lanes = VectorShapes.LANES;
        short[] halves = new short[lanes];
        for (int j = 0; j < lanes; j++) halves[j] = Float.floatToFloat16(-3.5f + j * 0.37f);
        halves[lanes / 2] = (short) 0xFC00; // negative infinity
        float[] converted = new float[lanes];
        Halves.toFloats(ShortVector.fromArray(VectorShapes.S, halves, 0)).intoArray(converted, 0);
        for (int j = 0; j < lanes; j++) {
            assertThat(converted[j]).isEqualTo(Float.float16ToFloat(halves[j]));
        }
    }
}
