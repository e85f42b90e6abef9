package com.soportemax.inference.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every optimized kernel uses: floats in the widest register the CPU prefers (capped at 512 bits),
 * and byte/short/int species with the same lane count, so that one load of packed weights converts into exactly one
 * float vector. Kernels are written for 8 or 16 lanes; on other machines {@link #ENABLED} is false and the scalar
 * reference kernels run. The system property {@code soportemax.kernels.vector-bits} (0, 256 or 512) overrides the
 * choice, for benchmarks and for checking the 256-bit kernels on a 512-bit machine.
 */
final class VectorShapes {

    static final VectorSpecies<Float> F;
    static final VectorSpecies<Byte> B;
    static final VectorSpecies<Short> S;
    static final VectorSpecies<Integer> I;
    static final int LANES;
    static final boolean ENABLED;
    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    static {
        int preferred = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int requested = Integer.getInteger("soportemax.kernels.vector-bits", Math.min(preferred, 512));
        int bits = requested >= 512 && preferred >= 512 ? 512 : requested >= 256 && preferred >= 256 ? 256 : 0;
        ENABLED = bits != 0;
        boolean wide = bits == 512;
        F = wide ? FloatVector.SPECIES_512 : FloatVector.SPECIES_256;
        B = wide ? ByteVector.SPECIES_128 : ByteVector.SPECIES_64;
        S = wide ? ShortVector.SPECIES_256 : ShortVector.SPECIES_128;
        I = wide ? IntVector.SPECIES_512 : IntVector.SPECIES_256;
        LANES = F.length();
    }

    private VectorShapes() {
    }

    /**
     * The sum of the lanes, halves added pairwise down to one lane. {@code reduceLanes(ADD)} leaves the order open,
     * and the interpreter (sequential) and C2 (a tree) do differ in the last bits, so results would change while the
     * JIT warms up; this order is the same everywhere, which keeps products reproducible run to run.
     */
    static float sum(FloatVector v) {
        FloatVector eight = v.length() == 16
                ? ((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 0))
                        .add((FloatVector) v.reinterpretShape(FloatVector.SPECIES_256, 1))
                : v;
        FloatVector four = ((FloatVector) eight.reinterpretShape(FloatVector.SPECIES_128, 0))
                .add((FloatVector) eight.reinterpretShape(FloatVector.SPECIES_128, 1));
        FloatVector two = ((FloatVector) four.reinterpretShape(FloatVector.SPECIES_64, 0))
                .add((FloatVector) four.reinterpretShape(FloatVector.SPECIES_64, 1));
        return two.lane(0) + two.lane(1);
    }

    // x86 has no byte shifts and C2 emulates them with several instructions; shifting the bytes as 16-bit lanes is one
    // instruction, and callers mask away the bits that cross between bytes (the Q6_K kernel ran about 30% faster).

    /** The high nibble of each byte (0..15). */
    static ByteVector highNibbles(ByteVector v) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, 4).reinterpretAsBytes().and((byte) 0x0F);
    }

    /** Each byte shifted left by {@code n}; bits {@code 0 .. n-1} hold garbage from the neighbour byte. */
    static ByteVector shiftLeftUnmasked(ByteVector v, int n) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHL, n).reinterpretAsBytes();
    }

    /** Each byte shifted right by {@code n}; bits {@code 8-n .. 7} hold garbage from the neighbour byte. */
    static ByteVector shiftRightUnmasked(ByteVector v, int n) {
        return v.reinterpretAsShorts().lanewise(VectorOperators.LSHR, n).reinterpretAsBytes();
    }
}
