package com.soportemax.inference.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

/** Builds tensor data for tests: random matrices of every type, and little-endian byte buffers for hand-made blocks. */
final class TestBlocks {

    private TestBlocks() {
    }

    static ByteBuffer littleEndian(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    static MemorySegment segment(ByteBuffer buffer) {
        return MemorySegment.ofArray(buffer.array());
    }

    /**
     * Random {@code rows x cols} data of {@code type} in off-heap memory (as a mapped file would be): quant bytes
     * uniformly random, block scales random halves of moderate size, so every value is finite.
     */
    static MemorySegment random(GgmlType type, int rows, int cols, Random rng, Arena arena) {
        long bytes = (long) rows * type.bytesFor(cols);
        MemorySegment data = arena.allocate(bytes, 64);
        byte[] noise = new byte[(int) bytes];
        rng.nextBytes(noise);
        MemorySegment.copy(noise, 0, data, ValueLayout.JAVA_BYTE, 0, noise.length);
        long blocks = bytes / type.blockBytes();
        for (long b = 0; b < blocks; b++) {
            long at = b * type.blockBytes();
            switch (type) {
                case F32 -> data.set(ReferenceKernels.FLOAT_LE, at, (float) rng.nextGaussian());
                case F16 -> data.set(ReferenceKernels.SHORT_LE, at, Float.floatToFloat16((float) rng.nextGaussian()));
                case BF16 -> data.set(ReferenceKernels.SHORT_LE, at,
                        (short) (Float.floatToIntBits((float) rng.nextGaussian()) >>> 16));
                case Q8_0, Q4_0, Q5_0 -> data.set(ReferenceKernels.SHORT_LE, at, randomScale(rng));
                case Q4_K, Q5_K, Q4_1, Q5_1 -> {
                    data.set(ReferenceKernels.SHORT_LE, at, randomScale(rng));
                    data.set(ReferenceKernels.SHORT_LE, at + 2, randomScale(rng));
                }
                case Q6_K -> data.set(ReferenceKernels.SHORT_LE, at + 208, randomScale(rng));
            }
        }
        return data;
    }

    private static short randomScale(Random rng) {
        return Float.floatToFloat16(0.001f + rng.nextFloat() * 0.02f);
    }

    static float[] randomFloats(int n, Random rng) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }
}
