package com.soportemax.inference.tensor;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/** IEEE 754 binary16 values, as GGML stores block scales, F16 weights and the KV cache. */
public final class Halves {

    private Halves() {
    }

    /** The little-endian half at {@code offset}, as a float (exact). */
    public static float read(MemorySegment data, long offset) {
        return Float.float16ToFloat(data.get(ReferenceKernels.SHORT_LE, offset));
    }

    /** {@code value} rounded to the nearest half (round half to even), back as a float. */
    public static float round(float value) {
        return Float.float16ToFloat(Float.floatToFloat16(value));
    }

    /**
     * Half bits widened to int lanes (as {@link VectorShapes#S} to {@link VectorShapes#I}) to floats, with integer
     * operations (the Vector API has no half conversion): exponent and mantissa shifted into place and scaled by
     * 2^112 re-bias the exponent exactly, subnormal halves included; infinities and NaNs get the all-ones exponent
     * (NaNs made quiet, as {@link Float#float16ToFloat} does); the sign is copied. Vectors without infinities or
     * NaNs (all of them, in practice) take four operations; the others a slower exact path.
     */
    static FloatVector toFloats(ShortVector halves) {
        // sign-extended: bits 31..15 copy the sign; shifted by 13, exponent and mantissa land where a float's
        // subnormal-or-normal field does, and the multiply by 2^112 re-biases the exponent exactly (sign kept)
        IntVector h = (IntVector) halves.convertShape(VectorOperators.S2I, VectorShapes.I, 0);
        IntVector placed = h.lanewise(VectorOperators.LSHL, 13).and(0x8FFFE000);
        if (!h.and(0x7C00).compare(VectorOperators.EQ, 0x7C00).anyTrue()) {
            return placed.reinterpretAsFloats().mul(0x1p112f);
        }
        return specialsToFloats(h);
    }

    /** {@link #toFloats} of halves among which are infinities or NaNs (all-ones exponent). */
    private static FloatVector specialsToFloats(IntVector h) {
        IntVector magnitude = h.and(0x7FFF);
        IntVector shifted = magnitude.lanewise(VectorOperators.LSHL, 13);
        IntVector finite = shifted.reinterpretAsFloats().mul(0x1p112f).reinterpretAsInts();
        VectorMask<Integer> infinite = magnitude.compare(VectorOperators.GE, 0x7C00);
        VectorMask<Integer> nan = magnitude.compare(VectorOperators.GT, 0x7C00);
        IntVector bits = finite.blend(shifted.or(0x7F800000), infinite).blend(shifted.or(0x7FC00000), nan);
        return bits.or(h.and(0x8000).lanewise(VectorOperators.LSHL, 16)).reinterpretAsFloats();
    }
}
