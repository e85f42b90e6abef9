package com.soportemax.inference.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PagedAttentionTests {

    static final int HEAD_DIM = 64;
    static final int ELEMENTS = 2 * HEAD_DIM; // two KV heads per page

    /** Pages of random fp16 keys and values; slots past {@code length} hold infinities, as a rewound cache may. */
    static MemorySegment[] pages(Arena arena, int length, SplittableRandom random) {
        int count = (length + PagedAttention.BLOCK_TOKENS - 1) / PagedAttention.BLOCK_TOKENS;
        MemorySegment[] pages = new MemorySegment[count];
        for (int p = 0; p < count; p++) {
            pages[p] = arena.allocate(2L * 2 * ELEMENTS * PagedAttention.BLOCK_TOKENS);
            for (int e = 0; e < 2 * ELEMENTS; e++) {
                for (int t = 0; t < PagedAttention.BLOCK_TOKENS; t++) {
                    boolean past = p * PagedAttention.BLOCK_TOKENS + t >= length;
                    float v = past ? Float.POSITIVE_INFINITY : (float) random.nextDouble(-2, 2);
                    pages[p].set(ReferenceKernels.SHORT_LE, 2L * (e * PagedAttention.BLOCK_TOKENS + t),
                            Float.floatToFloat16(v));
                }
            }
        }
        return pages;
    }

    @Test
    void vectorKernelMatchesTheScalarReferenceForEveryLength() {
        SplittableRandom random = new SplittableRandom(11);
        try (Arena arena = Arena.ofConfined()) {
            for (int length : new int[]{1, 7, 15, 16, 17, 31, 33, 100, 257}) {
                MemorySegment[] pages = pages(arena, length, random);
                float[] q = new float[HEAD_DIM];
                for (int i = 0; i < HEAD_DIM; i++) q[i] = Halves.round((float) random.nextDouble(-1, 1));
                // second KV head: keys at element 64, values after all keys
                long keys = (long) HEAD_DIM * PagedAttention.ELEMENT_STRIDE;
                long values = (long) (ELEMENTS + HEAD_DIM) * PagedAttention.ELEMENT_STRIDE;
                float[] expected = new float[HEAD_DIM], actual = new float[HEAD_DIM];
                PagedAttention.attendReference(pages, keys, values, length, HEAD_DIM, 0.125f, q, 0,
                        new float[PagedAttention.scratchFor(length)], expected, 0);
                PagedAttention.attend(pages, keys, values, length, HEAD_DIM, 0.125f, q, 0,
                        new float[PagedAttention.scratchFor(length)], actual, 0);
                assertThat(actual).as("length %d", length).doesNotContain(Float.NaN)
                        .containsExactly(expected, within(1e-4f));
            }
        }
    }

    @Test
    void headsSharingAKvHeadGetExactlyTheirOwnAttention() {
        SplittableRandom random = new SplittableRandom(5);
        try (Arena arena = Arena.ofConfined()) {
            for (int length : new int[]{1, 9, 16, 31, 48, 100, 257}) {
                MemorySegment[] pages = pages(arena, length, random);
                long keys = (long) HEAD_DIM * PagedAttention.ELEMENT_STRIDE;
                long values = (long) (ELEMENTS + HEAD_DIM) * PagedAttention.ELEMENT_STRIDE;
                for (int heads = 1; heads <= PagedAttention.HEADS_AT_ONCE; heads++) {
                    // the heads' queries and outputs start past 0, with neighbours that must stay untouched
                    int offset = 3 * HEAD_DIM;
                    float[] q = new float[offset + (heads + 2) * HEAD_DIM];
                    for (int i = 0; i < q.length; i++) q[i] = Halves.round((float) random.nextDouble(-1, 1));
                    float[] alone = new float[q.length];
                    float[] together = new float[q.length];
                    java.util.Arrays.fill(together, 7f);
                    for (int h = 0; h < heads; h++) {
                        PagedAttention.attend(pages, keys, values, length, HEAD_DIM, 0.125f, q,
                                offset + h * HEAD_DIM, new float[PagedAttention.scratchFor(length)], alone,
                                offset + h * HEAD_DIM);
                    }
                    PagedAttention.attendHeads(pages, keys, values, length, HEAD_DIM, 0.125f, q, offset, heads,
                            new float[PagedAttention.headsScratchFor(length, HEAD_DIM)], together, offset);
                    for (int i = 0; i < q.length; i++) {
                        boolean mine = i >= offset && i < offset + heads * HEAD_DIM;
                        assertThat(together[i]).as("length %d, %d heads, element %d", length, heads, i)
                                .isEqualTo(mine ? alone[i] : 7f);
                    }
                }
            }
        }
    }

    @Test
    void oneKeyMeansItsValueComesOutUnchanged() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] pages = pages(arena, 1, new SplittableRandom(3));
            float[] q = new float[HEAD_DIM];
            float[] out = new float[HEAD_DIM];
            long values = (long) ELEMENTS * PagedAttention.ELEMENT_STRIDE;
            PagedAttention.attend(pages, 0, values, 1, HEAD_DIM, 1f, q, 0, new float[16], out, 0);
            for (int d = 0; d < HEAD_DIM; d++) {
                float stored = Halves.read(pages[0], values + (long) d * PagedAttention.ELEMENT_STRIDE);
                assertThat(out[d]).isEqualTo(stored);
            }
        }
    }

    @Test
    void vectorExponentialIsWithinTwoUlpsOfMathExp() {
        org.junit.jupiter.api.Assumptions.assumeTrue(VectorShapes.ENABLED, "the Vector API kernels are off");
        int lanes = VectorShapes.LANES;
        float[] x = new float[lanes], e = new float[lanes];
        SplittableRandom random = new SplittableRandom(9);
        for (int round = 0; round < 20_000; round++) {
            for (int j = 0; j < lanes; j++) {
                x[j] = round == 0 ? -j * 0.5f : (float) -random.nextDouble(0, round % 2 == 0 ? 1 : 87);
            }
            PagedAttention.exp(jdk.incubator.vector.FloatVector.fromArray(VectorShapes.F, x, 0)).intoArray(e, 0);
            for (int j = 0; j < lanes; j++) {
                float expected = (float) Math.exp(x[j]);
                assertThat(Math.abs(e[j] - expected)).as("e^%s", x[j]).isLessThanOrEqualTo(2 * Math.ulp(expected));
            }
        }
    }

    @Test
    void vectorSoftmaxGivesTheReferenceWeightsToWithinOneHalfUlp() {
        SplittableRandom random = new SplittableRandom(13);
        for (int length : new int[]{1, 5, 16, 17, 63, 64, 250, 1000}) {
            float[] scores = new float[length + 8], expected = new float[length + 8];
            for (int j = 0; j < scores.length; j++) scores[j] = (float) random.nextDouble(-40, 40);
            System.arraycopy(scores, 0, expected, 0, scores.length);
            PagedAttention.softmaxToHalves(scores, 3, length, 0.125f);
            PagedAttention.softmaxToHalvesReference(expected, 3, length, 0.125f);
            for (int j = 0; j < scores.length; j++) {
                boolean mine = j >= 3 && j < 3 + length;
                // one fp16 ulp: 2^13 float ulps of a normal half, 2^-24 among the subnormal ones
                float halfUlp = Math.max(Math.ulp(expected[j]) * 8192, 0x1p-24f);
                assertThat(scores[j]).as("length %d, score %d", length, j)
                        .isCloseTo(expected[j], within(mine ? halfUlp : 0f));
            }
        }
    }
}
