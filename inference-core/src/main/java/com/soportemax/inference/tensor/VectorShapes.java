package com.soportemax.inference.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
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

    /** Lanes i ^ 8, i ^ 4, i ^ 2, i ^ 1 (partners in the folding order of {@link #sum}). */
    private static final VectorShuffle<Float> SWAP8 = VectorShuffle.fromOp(F, i -> i ^ (F.length() / 2));
    private static final VectorShuffle<Float> SWAP4 = VectorShuffle.fromOp(F, i -> i ^ (F.length() / 4));
    private static final VectorShuffle<Float> SWAP2 = VectorShuffle.fromOp(F, i -> i ^ 2);
    private static final VectorShuffle<Float> SWAP1 = VectorShuffle.fromOp(F, i -> i ^ 1);
    /** The upper half of the lanes, and the second and fourth quarters. */
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(F, F.length() == 16 ? 0xFF00L : 0xF0L);
    private static final VectorMask<Float> ODD_QUARTERS = VectorMask.fromLong(F, F.length() == 16 ? 0xF0F0L : 0xCCL);

    /**
     * {@link #sum} of four vectors at once, bit-identical to four calls (the same additions in the same order; only
     * operands change sides, which float addition does not notice), for about half their instructions: the first two
     * folds work on two vectors' lanes at a time. The sums land in {@code out[o]}, {@code out[o + stride]}, ...
     */
    static void sum4(FloatVector a, FloatVector b, FloatVector c, FloatVector d, float[] out, int o, int stride) {
        int half = F.length() / 2;
        int quarter = F.length() / 4;
        // fold halves: lanes [0, half) of ab hold a's half-sums, lanes [half, 2half) b's
        FloatVector ab = a.blend(b, UPPER_HALF).add(b.blend(a, UPPER_HALF).rearrange(SWAP8));
        FloatVector cd = c.blend(d, UPPER_HALF).add(d.blend(c, UPPER_HALF).rearrange(SWAP8));
        // fold quarters: a's quarter-sums in quarter 0, c's in 1, b's in 2, d's in 3
        FloatVector all = ab.blend(cd, ODD_QUARTERS).add(cd.blend(ab, ODD_QUARTERS).rearrange(SWAP4));
        if (F.length() == 16) {
            all = all.add(all.rearrange(SWAP2));
        }
        all = all.add(all.rearrange(SWAP1));
        out[o] = all.lane(0);
        out[o + stride] = all.lane(2 * quarter);
        out[o + 2 * stride] = all.lane(quarter);
        out[o + 3 * stride] = all.lane(3 * quarter);
    }

    /**
     * {@link #sum} of two vectors at once, bit-identical to two calls (the same additions in the same order), into
     * {@code out[o]} and {@code out[o + 1]}: every fold works on both vectors' lanes at a time.
     */
    static void sum2(FloatVector a, FloatVector b, float[] out, int o) {
        // fold halves: lanes [0, half) hold a's half-sums, lanes [half, 2half) b's
        FloatVector ab = a.blend(b, UPPER_HALF).add(b.blend(a, UPPER_HALF).rearrange(SWAP8));
        if (F.length() == 16) {
            ab = ab.add(ab.rearrange(SWAP4));
        }
        ab = ab.add(ab.rearrange(SWAP2));
        ab = ab.add(ab.rearrange(SWAP1));
        out[o] = ab.lane(0);
        out[o + 1] = ab.lane(F.length() / 2);
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
