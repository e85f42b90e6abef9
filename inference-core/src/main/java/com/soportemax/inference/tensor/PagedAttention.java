package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;
import static com.soportemax.inference.tensor.VectorShapes.S;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;

/**
 * Attention of one query head over an fp16 KV cache kept in pages (blocks) of {@link #BLOCK_TOKENS} positions.
 * Within a page, each element of a layer's keys (and values) holds {@code BLOCK_TOKENS} consecutive halves, one per
 * position, so scores and outputs run along positions as vectors. Numerics as llama.cpp's CPU attention with an F16
 * cache: the query is fp16 (the caller rounds it), scores are float, the softmax weights are rounded to fp16 before
 * their product with the values.
 */
public final class PagedAttention {

    /** Positions per page. A multiple of every vector length the kernels use. */
    public static final int BLOCK_TOKENS = 16;

    /** Bytes from one element's positions to the next element's within a page. */
    public static final int ELEMENT_STRIDE = BLOCK_TOKENS * 2;

    private PagedAttention() {
    }

    /** Scratch floats {@link #attend} needs for {@code length} positions. */
    public static int scratchFor(int length) {
        return (length + BLOCK_TOKENS - 1) / BLOCK_TOKENS * BLOCK_TOKENS;
    }

    /**
     * {@code out[outOffset ..+ headDim)} = softmax(q . K * scale) . V over positions [0, length).
     *
     * @param pages  the sequence's pages in position order (page p holds positions p*BLOCK_TOKENS ...)
     * @param keys   byte offset, in every page, of this head's first key element
     * @param values byte offset, in every page, of this head's first value element
     * @param scores scratch of at least {@link #scratchFor}(length) floats
     */
    public static void attend(MemorySegment[] pages, long keys, long values, int length, int headDim, float scale,
                              float[] q, int qOffset, float[] scores, float[] out, int outOffset) {
        if (VectorShapes.ENABLED) {
            attendVector(pages, keys, values, length, headDim, scale, q, qOffset, scores, out, outOffset);
        } else {
            attendReference(pages, keys, values, length, headDim, scale, q, qOffset, scores, out, outOffset);
        }
    }

    static void attendVector(MemorySegment[] pages, long keys, long values, int length, int headDim, float scale,
                             float[] q, int qOffset, float[] scores, float[] out, int outOffset) {
        int lanes = F.length();
        int blocks = (length + BLOCK_TOKENS - 1) / BLOCK_TOKENS;
        for (int b = 0; b < blocks; b++) {
            MemorySegment page = pages[b];
            int base = b * BLOCK_TOKENS;
            for (int t = 0; t < BLOCK_TOKENS && base + t < length; t += lanes) {
                FloatVector acc = FloatVector.zero(F);
                long offset = keys + 2L * t;
                for (int d = 0; d < headDim; d++, offset += ELEMENT_STRIDE) {
                    FloatVector k = Halves.toFloats(ShortVector.fromMemorySegment(S, page, offset, LE));
                    acc = k.fma(FloatVector.broadcast(F, q[qOffset + d]), acc);
                }
                acc.intoArray(scores, base + t);
            }
        }
        softmaxToHalves(scores, length, scale);
        int full = length / lanes * lanes;
        for (int d = 0; d < headDim; d++) {
            FloatVector acc = FloatVector.zero(F);
            long element = values + (long) d * ELEMENT_STRIDE;
            int j = 0;
            for (; j < full; j += lanes) {
                MemorySegment page = pages[j / BLOCK_TOKENS];
                FloatVector v = Halves.toFloats(ShortVector.fromMemorySegment(S, page,
                        element + 2L * (j % BLOCK_TOKENS), LE));
                acc = v.fma(FloatVector.fromArray(F, scores, j), acc);
            }
            if (j < length) {
                // masked: stale halves past the end (a rewound sequence) may be infinite, and 0 * inf is NaN
                VectorMask<Short> inRange = S.indexInRange(j, length);
                MemorySegment page = pages[j / BLOCK_TOKENS];
                FloatVector v = Halves.toFloats(ShortVector.fromMemorySegment(S, page,
                        element + 2L * (j % BLOCK_TOKENS), LE, inRange));
                acc = v.fma(FloatVector.fromArray(F, scores, j, F.indexInRange(j, length)), acc);
            }
            out[outOffset + d] = VectorShapes.sum(acc);
        }
    }

    static void attendReference(MemorySegment[] pages, long keys, long values, int length, int headDim,
                                float scale, float[] q, int qOffset, float[] scores, float[] out, int outOffset) {
        for (int j = 0; j < length; j++) {
            MemorySegment page = pages[j / BLOCK_TOKENS];
            long slot = 2L * (j % BLOCK_TOKENS);
            float s = 0;
            for (int d = 0; d < headDim; d++) {
                s = Math.fma(Halves.read(page, keys + (long) d * ELEMENT_STRIDE + slot), q[qOffset + d], s);
            }
            scores[j] = s;
        }
        softmaxToHalves(scores, length, scale);
        for (int d = 0; d < headDim; d++) {
            float sum = 0;
            for (int j = 0; j < length; j++) {
                MemorySegment page = pages[j / BLOCK_TOKENS];
                sum += scores[j] * Halves.read(page, values + (long) d * ELEMENT_STRIDE + 2L * (j % BLOCK_TOKENS));
            }
            out[outOffset + d] = sum;
        }
    }

    /** Scales, softmaxes and rounds to fp16 the scores [0, length), in place. */
    private static void softmaxToHalves(float[] scores, int length, float scale) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < length; j++) {
            scores[j] *= scale;
            max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = 0; j < length; j++) {
            float e = (float) Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
        }
        float inverse = (float) (1.0 / sum);
        for (int j = 0; j < length; j++) scores[j] = Halves.round(scores[j] * inverse);
    }
}
