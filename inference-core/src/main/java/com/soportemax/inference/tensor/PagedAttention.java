package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;
import static com.soportemax.inference.tensor.VectorShapes.S;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

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

    /** Query heads {@link #attendHeads} serves at once. */
    public static final int HEADS_AT_ONCE = 4;

    /** Scratch floats {@link #attendHeads} needs for {@code length} positions. */
    public static int headsScratchFor(int length, int headDim) {
        // scores, results of fewer than four heads, sums by lane
        return HEADS_AT_ONCE * (scratchFor(length) + headDim + headDim * VectorShapes.LANES);
    }

    /**
     * {@link #attend} for {@code heads} (1 to {@link #HEADS_AT_ONCE}) query heads that share one KV head
     * (grouped-query attention): head i's query at {@code qOffset + i * headDim}, its output at
     * {@code outOffset + i * headDim}. Each key and value is converted from fp16 once for all of them; each head's
     * result is bit-identical to {@link #attend} of that head alone.
     *
     * @param scores scratch of at least {@link #headsScratchFor}(length, headDim) floats
     */
    public static void attendHeads(MemorySegment[] pages, long keys, long values, int length, int headDim,
                                   float scale, float[] q, int qOffset, int heads, float[] scores, float[] out,
                                   int outOffset) {
        if (heads < 1 || heads > HEADS_AT_ONCE) {
            throw new IllegalArgumentException("attendHeads serves 1 to " + HEADS_AT_ONCE + " heads, not " + heads);
        }
        if (!VectorShapes.ENABLED || heads == 1) {
            for (int i = 0; i < heads; i++) {
                attend(pages, keys, values, length, headDim, scale, q, qOffset + i * headDim, scores, out,
                        outOffset + i * headDim);
            }
            return;
        }
        if (heads == HEADS_AT_ONCE) {
            attendFourHeads(pages, keys, values, length, headDim, scale, q, qOffset, headDim, heads, scores, out,
                    outOffset);
            return;
        }
        // fewer heads: the last one is computed again in the spare slots, into scratch, and the real ones copied out
        int results = HEADS_AT_ONCE * scratchFor(length);
        attendFourHeads(pages, keys, values, length, headDim, scale, q, qOffset, headDim, heads, scores, scores,
                results);
        System.arraycopy(scores, results, out, outOffset, heads * headDim);
    }

    /**
     * Heads past {@code heads} repeat the last one; results at {@code o + i * headDim} for all four. Split in two
     * methods: as one, C2 stopped inlining the vector operations (NodeCountInliningCutoff) and boxed them.
     */
    private static void attendFourHeads(MemorySegment[] pages, long keys, long values, int length, int headDim,
                                        float scale, float[] q, int qOffset, int qStride, int heads,
                                        float[] scores, float[] out, int o) {
        int q1 = qOffset + Math.min(1, heads - 1) * qStride;
        int q2 = qOffset + Math.min(2, heads - 1) * qStride, q3 = qOffset + Math.min(3, heads - 1) * qStride;
        int stride = scratchFor(length);
        fourHeadScores(pages, keys, length, headDim, q, qOffset, q1, q2, q3, scores, stride);
        for (int i = 0; i < HEADS_AT_ONCE; i++) {
            softmaxToHalves(scores, i * stride, length, scale);
        }
        fourHeadOutputs(pages, values, length, headDim, scores, stride,
                HEADS_AT_ONCE * (stride + headDim), out, o);
    }

    private static void fourHeadScores(MemorySegment[] pages, long keys, int length, int headDim, float[] q,
                                       int q0, int q1, int q2, int q3, float[] scores, int stride) {
        int lanes = F.length();
        int s1 = stride, s2 = 2 * stride, s3 = 3 * stride;
        int blocks = (length + BLOCK_TOKENS - 1) / BLOCK_TOKENS;
        for (int b = 0; b < blocks; b++) {
            MemorySegment page = pages[b];
            int base = b * BLOCK_TOKENS;
            for (int t = 0; t < BLOCK_TOKENS && base + t < length; t += lanes) {
                FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
                FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
                long offset = keys + 2L * t;
                for (int d = 0; d < headDim; d++, offset += ELEMENT_STRIDE) {
                    FloatVector k = Halves.toFloats(ShortVector.fromMemorySegment(S, page, offset, LE));
                    a0 = k.fma(FloatVector.broadcast(F, q[q0 + d]), a0);
                    a1 = k.fma(FloatVector.broadcast(F, q[q1 + d]), a1);
                    a2 = k.fma(FloatVector.broadcast(F, q[q2 + d]), a2);
                    a3 = k.fma(FloatVector.broadcast(F, q[q3 + d]), a3);
                }
                a0.intoArray(scores, base + t);
                a1.intoArray(scores, s1 + base + t);
                a2.intoArray(scores, s2 + base + t);
                a3.intoArray(scores, s3 + base + t);
            }
        }
    }

    // Page by page, so that each page's values are read in order and its bounds checked once: the sums wait in
    // scratch (head i, element d at acc + (i * headDim + d) * lanes), each lane accumulating its positions in the
    // order attendVector's accumulator does, so the results stay bit-identical. Whole vectors of positions load as
    // attendVector's do; the last, partial one is masked to [0, length) (stale halves of a rewound sequence past the
    // end may be infinite, and 0 * inf is NaN), as its masked tail is.
    private static void fourHeadOutputs(MemorySegment[] pages, long values, int length, int headDim,
                                        float[] scores, int stride, int acc, float[] out, int o) {
        int lanes = F.length();
        int s1 = stride, s2 = 2 * stride, s3 = 3 * stride;
        int h1 = acc + headDim * lanes, h2 = acc + 2 * headDim * lanes, h3 = acc + 3 * headDim * lanes;
        java.util.Arrays.fill(scores, acc, acc + HEADS_AT_ONCE * headDim * lanes, 0f);
        int full = length / lanes * lanes;
        for (int j = 0; j < full; j += lanes) {
            MemorySegment page = pages[j / BLOCK_TOKENS];
            long element = values + 2L * (j % BLOCK_TOKENS);
            FloatVector w0 = FloatVector.fromArray(F, scores, j), w1 = FloatVector.fromArray(F, scores, s1 + j);
            FloatVector w2 = FloatVector.fromArray(F, scores, s2 + j), w3 = FloatVector.fromArray(F, scores, s3 + j);
            for (int d = 0, a = 0; d < headDim; d++, a += lanes, element += ELEMENT_STRIDE) {
                FloatVector v = Halves.toFloats(ShortVector.fromMemorySegment(S, page, element, LE));
                v.fma(w0, FloatVector.fromArray(F, scores, acc + a)).intoArray(scores, acc + a);
                v.fma(w1, FloatVector.fromArray(F, scores, h1 + a)).intoArray(scores, h1 + a);
                v.fma(w2, FloatVector.fromArray(F, scores, h2 + a)).intoArray(scores, h2 + a);
                v.fma(w3, FloatVector.fromArray(F, scores, h3 + a)).intoArray(scores, h3 + a);
            }
        }
        if (full < length) {
            int j = full;
            VectorMask<Float> inRange = F.indexInRange(j, length);
            VectorMask<Short> halvesInRange = inRange.cast(S);
            MemorySegment page = pages[j / BLOCK_TOKENS];
            long element = values + 2L * (j % BLOCK_TOKENS);
            FloatVector w0 = FloatVector.fromArray(F, scores, j, inRange);
            FloatVector w1 = FloatVector.fromArray(F, scores, s1 + j, inRange);
            FloatVector w2 = FloatVector.fromArray(F, scores, s2 + j, inRange);
            FloatVector w3 = FloatVector.fromArray(F, scores, s3 + j, inRange);
            for (int d = 0, a = 0; d < headDim; d++, a += lanes, element += ELEMENT_STRIDE) {
                FloatVector v = Halves.toFloats(ShortVector.fromMemorySegment(S, page, element, LE, halvesInRange));
                v.fma(w0, FloatVector.fromArray(F, scores, acc + a)).intoArray(scores, acc + a);
                v.fma(w1, FloatVector.fromArray(F, scores, h1 + a)).intoArray(scores, h1 + a);
                v.fma(w2, FloatVector.fromArray(F, scores, h2 + a)).intoArray(scores, h2 + a);
                v.fma(w3, FloatVector.fromArray(F, scores, h3 + a)).intoArray(scores, h3 + a);
            }
        }
        for (int d = 0, a = 0; d < headDim; d++, a += lanes) {
            // four heads' sums at once, bit-identical to VectorShapes.sum of each
            VectorShapes.sum4(FloatVector.fromArray(F, scores, acc + a), FloatVector.fromArray(F, scores, h1 + a),
                    FloatVector.fromArray(F, scores, h2 + a), FloatVector.fromArray(F, scores, h3 + a), out, o + d,
                    headDim);
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
        softmaxToHalves(scores, 0, length, scale);
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
        softmaxToHalvesReference(scores, 0, length, scale);
        for (int d = 0; d < headDim; d++) {
            float sum = 0;
            for (int j = 0; j < length; j++) {
                MemorySegment page = pages[j / BLOCK_TOKENS];
                sum += scores[j] * Halves.read(page, values + (long) d * ELEMENT_STRIDE + 2L * (j % BLOCK_TOKENS));
            }
            out[outOffset + d] = sum;
        }
    }

    /**
     * Scales, softmaxes and rounds to fp16 the scores [from, from + length), in place: the reference of
     * {@link #softmaxToHalves}, within a few float ulps of it before the rounding to fp16.
     */
    static void softmaxToHalvesReference(float[] scores, int from, int length, float scale) {
        int end = from + length;
        float max = Float.NEGATIVE_INFINITY;
        for (int j = from; j < end; j++) {
            scores[j] *= scale;
            max = Math.max(max, scores[j]);
        }
        double sum = 0;
        for (int j = from; j < end; j++) {
            float e = (float) Math.exp(scores[j] - max);
            scores[j] = e;
            sum += e;
        }
        float inverse = (float) (1.0 / sum);
        for (int j = from; j < end; j++) scores[j] = Halves.round(scores[j] * inverse);
    }

    /**
     * Scales, softmaxes and rounds to fp16 the scores [from, from + length), in place, with vectors: the exponential
     * is {@link #exp}'s (plain arithmetic, so the same in the interpreter as compiled, unlike the Vector API's EXP,
     * whose compiled and interpreted results differ), the sum is in float lanes.
     */
    static void softmaxToHalves(float[] scores, int from, int length, float scale) {
        int lanes = F.length();
        int end = from + length;
        int full = from + length / lanes * lanes;
        FloatVector maxima = FloatVector.broadcast(F, Float.NEGATIVE_INFINITY);
        int j = from;
        for (; j < full; j += lanes) {
            FloatVector s = FloatVector.fromArray(F, scores, j).mul(scale);
            s.intoArray(scores, j);
            maxima = maxima.max(s);
        }
        float max = maxima.reduceLanes(VectorOperators.MAX);
        for (; j < end; j++) {
            scores[j] *= scale;
            max = Math.max(max, scores[j]);
        }
        FloatVector m = FloatVector.broadcast(F, max);
        FloatVector sums = FloatVector.zero(F);
        for (j = from; j < full; j += lanes) {
            FloatVector e = exp(FloatVector.fromArray(F, scores, j).sub(m));
            e.intoArray(scores, j);
            sums = sums.add(e);
        }
        if (j < end) {
            VectorMask<Float> inRange = F.indexInRange(j - from, length);
            FloatVector e = exp(FloatVector.fromArray(F, scores, j, inRange).sub(m));
            e.intoArray(scores, j, inRange);
            sums = sums.add(e, inRange);
        }
        FloatVector inverse = FloatVector.broadcast(F, 1f / VectorShapes.sum(sums));
        for (j = from; j < full; j += lanes) {
            roundToHalves(FloatVector.fromArray(F, scores, j).mul(inverse)).intoArray(scores, j);
        }
        if (j < end) {
            VectorMask<Float> inRange = F.indexInRange(j - from, length);
            roundToHalves(FloatVector.fromArray(F, scores, j, inRange).mul(inverse)).intoArray(scores, j, inRange);
        }
    }

    /**
     * Each lane (in [0, 65504]) rounded to the nearest half, ties to even, as {@link Halves#round}: adding and
     * subtracting 2^13 times the lane's power of two (2^-1 below the normal halves) leaves a float whose last bit is
     * the half's, and float addition rounds to nearest even.
     */
    private static FloatVector roundToHalves(FloatVector x) {
        IntVector exponent = x.reinterpretAsInts().and(0x7F800000).max((127 - 14) << 23);
        FloatVector magic = exponent.add(13 << 23).reinterpretAsFloats();
        return x.add(magic).sub(magic);
    }

    private static final float LOG2_E = 1.44269504f;
    private static final float LN2_HIGH = 0.693359375f;
    private static final float LN2_LOW = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float below 2^22 in magnitude to an integer. */
    private static final float ROUNDING = 12582912f;

    /**
     * e^x for x <= 0 (a score minus the maximum), within two float ulps: x = n ln2 + r with |r| <= ln2 / 2, e^r by
     * its Taylor polynomial of degree 7 (error under 1e-8 there), times 2^n built in the exponent bits. Below -87.3
     * (where e^x leaves the normal floats; fp16 rounds it to zero anyway) it gives e^-87.3.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(-87.3f);
        FloatVector n = clamped.mul(LOG2_E).add(ROUNDING).sub(ROUNDING);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HIGH), clamped);
        r = n.fma(FloatVector.broadcast(F, -LN2_LOW), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, 1f / 5040), FloatVector.broadcast(F, 1f / 720));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(F, 0.5f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        IntVector scale = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        return p.mul(scale.reinterpretAsFloats());
    }
}
