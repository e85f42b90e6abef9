package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;

/**
 * Q8_0 blocks: half d, then 32 signed bytes; x = q * d. The file's 34-byte blocks are repacked at load time into
 * native memory (see {@link WeightMemory}) in the order the kernels read them: each vector lane follows one block.
 *
 * <p>A row is cut into segments of {@code L} = {@link VectorShapes#LANES} blocks, then one each of L/2, L/4 ... 1
 * blocks for the rest. In a segment of n blocks each block spreads over P = L/n lanes: lane j holds elements
 * {@code (j % P) * s + k} of block {@code j / P} at steps k = 0 .. s-1, s = 32/P; a step is L bytes (four rows'
 * steps side by side, see {@link #rowBase}): one aligned load converts into one float vector whose lanes are
 * different blocks. The scale multiply is then one fused multiply-add per segment (of up to L blocks, with each lane's block
 * scale) instead of one per block, and the block scales are stored apart as floats (no half conversion in the loop).
 *
 * <p>Decode kernels read their input vectors in the same order ({@link #decodeInput}); batched kernels dequantize
 * rows and sum in the same order ({@link #productOrder}). Every (row, vector) result is computed the same way by
 * every kernel shape: per segment one sum over the steps in order, then {@code acc = sum * scale + acc}, then the lane
 * sum of {@link VectorShapes#sum}; so a vector's result does not depend on the rows or vectors it was computed with.
 */
final class Q8_0Matrix extends BlockMatrix {

    private static final int BLOCK_BYTES = 34;
    private static final int L = VectorShapes.LANES;

    /** Lane j takes lane j / P: one block scale for the P lanes of that block. Index log2(P). */
    private static final VectorShuffle<Float>[] SPREAD = spreads();

    /** Shared per row width: the segments and element order depend only on it. */
    private static final Map<Integer, Layout> LAYOUTS = new ConcurrentHashMap<>();

    private final Layout layout;
    /** Repacked quants: row r at r * cols bytes, in segment order. Null when the Vector API kernels are off. */
    private final MemorySegment quants;
    /** Block scales as floats, row r's at r * blocksPerRow, plus L floats so that a segment's load stays inside. */
    private final MemorySegment scales;

    /** {@code fileMapping}: data is a slice of a file mapping, whose pages are released once copied. */
    Q8_0Matrix(MemorySegment data, int rows, int cols, Arena arena, boolean fileMapping) {
        super(GgmlType.Q8_0, data, rows, cols);
        this.layout = LAYOUTS.computeIfAbsent(cols, Layout::new);
        if (VectorShapes.ENABLED) {
            MemorySegment q = WeightMemory.allocate((long) rows * cols, arena);
            MemorySegment s = WeightMemory.allocate(4L * ((long) rows * blocksPerRow + L), arena);
            repack(data, q, s);
            if (fileMapping) WeightMemory.releaseFilePages(data);
            this.quants = q.asReadOnly();
            this.scales = s.asReadOnly();
        } else {
            this.quants = null;
            this.scales = null;
        }
    }

    /** The segments of a row of {@code cols} weights, and the element each position of the packed order holds. */
    private record Layout(int segments, int[] firstBlock, int[] steps, int[] spread, int[] order) {
        Layout(int cols) {
            this(cols / 32 / L + Integer.bitCount(cols / 32 % L), cols);
        }

        private Layout(int segments, int cols) {
            this(segments, new int[segments], new int[segments], new int[segments], new int[cols]);
            int blocks = cols / 32;
            int s = 0, block = 0;
            for (; block + L <= blocks; block += L, s++) {
                firstBlock[s] = block;
                steps[s] = 32;
                spread[s] = 0;
            }
            for (int n = L / 2; n >= 1; n /= 2) {
                if ((blocks - block & n) != 0) {
                    firstBlock[s] = block;
                    steps[s] = 32 * n / L;
                    spread[s] = Integer.numberOfTrailingZeros(L / n);
                    block += n;
                    s++;
                }
            }
            for (int seg = 0; seg < segments; seg++) {
                int parts = 1 << spread[seg];
                int start = firstBlock[seg] * 32;
                for (int k = 0; k < steps[seg]; k++) {
                    for (int j = 0; j < L; j++) {
                        order[start + k * L + j] = start + j / parts * 32 + j % parts * steps[seg] + k;
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] spreads() {
        VectorShuffle<Float>[] spreads = new VectorShuffle[Integer.numberOfTrailingZeros(L) + 1];
        for (int log = 0; log < spreads.length; log++) {
            int parts = 1 << log;
            spreads[log] = VectorShuffle.fromOp(F, j -> j / parts);
        }
        return spreads;
    }

    // One bulk copy per row out of the file and per group of four rows into the packed memory: copies of single
    // blocks or steps made loading qwen2.5-0.5b take 6 s instead of under one.
    // Groups of rows are repacked in parallel (the common pool): loading is otherwise bound by this loop.
    private void repack(MemorySegment data, MemorySegment q, MemorySegment s) {
        int groupsPerTask = Math.max(1, (1 << 20) / (4 * cols));
        int tasks = (rows + 4 * groupsPerTask - 1) / (4 * groupsPerTask);
        java.util.stream.IntStream.range(0, tasks).parallel().forEach(t -> repackRows(data, q, s,
                t * 4 * groupsPerTask, Math.min(rows, (t + 1) * 4 * groupsPerTask)));
    }

    private void repackRows(MemorySegment data, MemorySegment q, MemorySegment s, int rowStart, int rowEnd) {
        int fileRow = blocksPerRow * BLOCK_BYTES;
        byte[] file = new byte[4 * fileRow];
        byte[] packed = new byte[4 * cols];
        float[] d = new float[4 * blocksPerRow];
        for (int r0 = rowStart; r0 < rowEnd; r0 += 4) {
            int group = Math.min(4, rows - r0);
            MemorySegment.copy(data, ValueLayout.JAVA_BYTE, rowOffset(r0), file, 0, group * fileRow);
            for (int i = 0; i < group; i++) {
                int f = i * fileRow;
                for (int b = 0; b < blocksPerRow; b++) {
                    int h = f + b * BLOCK_BYTES;
                    d[i * blocksPerRow + b] = Float.float16ToFloat((short) (file[h] & 0xFF | file[h + 1] << 8));
                }
                // row r0 + i of the group: its step p / L at (p / L) * group * L + i * L (see rowBase); lane j of a
                // segment reads part j % P of block j / P, elements in order (see the class comment)
                int stride = group * L;
                for (int seg = 0; seg < layout.segments; seg++) {
                    int steps = layout.steps[seg];
                    int parts = 1 << layout.spread[seg];
                    int step0 = layout.firstBlock[seg] * 32 / L;
                    for (int j = 0; j < L; j++) {
                        int from = f + (layout.firstBlock[seg] + j / parts) * BLOCK_BYTES + 2 + j % parts * steps;
                        int to = step0 * stride + i * L + j;
                        for (int k = 0; k < steps; k++) {
                            packed[to + k * stride] = file[from + k];
                        }
                    }
                }
            }
            MemorySegment.copy(packed, 0, q, ValueLayout.JAVA_BYTE, (long) r0 * cols, group * cols);
            MemorySegment.copy(d, 0, s, ValueLayout.JAVA_FLOAT, 4L * r0 * blocksPerRow, group * blocksPerRow);
        }
    }

    /**
     * Where row {@code row}'s bytes start: rows are stored in groups of four, interleaved step by step (the four rows'
     * L bytes of one step side by side, 64 bytes with 512-bit vectors), so that the four-row kernel reads memory
     * in one sequential stream. Four rows read as four separate streams ran at half the speed from memory.
     */
    private long rowBase(int row) {
        return (long) (row & ~3) * cols + (row & 3) * L;
    }

    /** Bytes from one step of row {@code row} to its next: L times the rows in its group (4, fewer in the last). */
    private long rowStride(int row) {
        return (long) Math.min(4, rows - (row & ~3)) * L;
    }

    /** Segment {@code seg}'s scales of row {@code row}, one per lane. */
    private FloatVector scales(int row, int seg) {
        FloatVector d = FloatVector.fromMemorySegment(F, scales,
                4L * ((long) row * blocksPerRow + layout.firstBlock[seg]), LE);
        int spread = layout.spread[seg];
        return spread == 0 ? d : d.rearrange(SPREAD[spread]);
    }

    /** Whole segment {@code seg}'s scales of row {@code row}: L blocks, one per lane. */
    private FloatVector wholeSegmentScales(int row, int seg) {
        return FloatVector.fromMemorySegment(F, scales, 4L * ((long) row * blocksPerRow + (long) seg * L), LE);
    }

    private FloatVector weights(long offset) {
        return (FloatVector) ByteVector.fromMemorySegment(B, quants, offset, LE).convertShape(VectorOperators.B2F, F, 0);
    }

    @Override
    float[] decodeInput(float[] in, int first, int batch) {
        if (!VectorShapes.ENABLED) return in;
        Scratch scratch = SCRATCH.get();
        if (scratch.input.length < batch * cols) scratch.input = new float[batch * cols];
        float[] out = scratch.input;
        int[] order = layout.order;
        for (int v = first; v < batch; v++) {
            int base = v * cols;
            for (int i = 0; i < cols; i++) {
                out[base + i] = in[base + order[i]];
            }
        }
        return out;
    }

    @Override
    int[] productOrder() {
        return VectorShapes.ENABLED ? layout.order : null;
    }

    private static final class Scratch {
        float[] input = new float[0];
        float[] row = new float[0];
        /** Accumulators of four rows x eight vectors ({@link #decodeRows}). */
        final float[] accumulators = new float[32 * L];
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    // The kernels below repeat their loops rather than share them through helper methods: in helper methods C2
    // compiled some of these kernels several times slower. Each (row, vector) result follows the order of dotRow.

    @Override
    float dotRow(int row, float[] in, int inOffset) {
        long base = rowBase(row), stride = rowStride(row);
        FloatVector acc = FloatVector.zero(F);
        for (int seg = 0, segments = layout.segments; seg < segments; seg++) {
            int start = layout.firstBlock[seg] * 32;
            int steps = layout.steps[seg];
            FloatVector sum = FloatVector.zero(F);
            long o0 = base + start / L * stride;
            for (int k = 0; k < steps; k++) {
                int p = start + k * L;
                sum = weights(o0 + k * stride).fma(FloatVector.fromArray(F, in, inOffset + p), sum);
            }
            acc = sum.fma(scales(row, seg), acc);
        }
        return VectorShapes.sum(acc);
    }

    /** Four rows at a time: four independent chains of multiply-adds, and each input load serves four rows. */
    @Override
    void decodeOneVector(float[] in, int inOffset, float[] out, int outOffset, int rowStart, int rowEnd) {
        int r = rowStart;
        int n = cols;
        for (; r < rowEnd && (r & 3) != 0; r++) {
            out[outOffset + r] = dotRow(r, in, inOffset);
        }
        for (; r + 4 <= rowEnd; r += 4) {
            long base = (long) r * n;
            FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
            FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
            for (int seg = 0, segments = layout.segments; seg < segments; seg++) {
                int start = layout.firstBlock[seg] * 32;
                int steps = layout.steps[seg];
                FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F);
                FloatVector s2 = FloatVector.zero(F), s3 = FloatVector.zero(F);
                long o0 = base + 4L * start;
                for (int k = 0; k < steps; k++) {
                    int p = start + k * L;
                    long o = o0 + k * (4L * L);
                    FloatVector x = FloatVector.fromArray(F, in, inOffset + p);
                    s0 = weights(o).fma(x, s0);
                    s1 = weights(o + L).fma(x, s1);
                    s2 = weights(o + 2 * L).fma(x, s2);
                    s3 = weights(o + 3 * L).fma(x, s3);
                }
                a0 = s0.fma(scales(r, seg), a0);
                a1 = s1.fma(scales(r + 1, seg), a1);
                a2 = s2.fma(scales(r + 2, seg), a2);
                a3 = s3.fma(scales(r + 3, seg), a3);
            }
            VectorShapes.sum4(a0, a1, a2, a3, out, outOffset + r, 1);
        }
        for (; r < rowEnd; r++) {
            out[outOffset + r] = dotRow(r, in, inOffset);
        }
    }

    /**
     * Vectors [first, batch) against rows [rowStart, rowEnd), one group of four rows at a time: eight vectors, then
     * four (two rows at a time), per weight load, then one by one. Segment by segment over the group, so that the input vectors' part
     * read for a segment (8 x 2 KB) stays in L1 cache for the four rows; the accumulators wait in a scratch array
     * between segments (whole rows of 4864 inputs for eight vectors, 155 KB, ran from L2 at half the speed).
     */
    @Override
    void decodeRows(float[] in, float[] out, int first, int batch, int rowStart, int rowEnd) {
        float[] acc = SCRATCH.get().accumulators;
        int wholeSegments = blocksPerRow / L;
        int r = rowStart;
        for (; r < rowEnd && (r & 3) != 0; r++) {
            rowAlone(r, in, out, first, batch);
        }
        for (; r + 4 <= rowEnd; r += 4) {
            int b = first;
            for (; b + 8 <= batch; b += 8) {
                java.util.Arrays.fill(acc, 0f);
                for (int seg = 0; seg < layout.segments; seg++) {
                    if (seg < wholeSegments) {
                        twoRowsEightVectorsWhole(r, seg, in, b * cols, acc, 0);
                        twoRowsEightVectorsWhole(r + 2, seg, in, b * cols, acc, 16 * L);
                    } else {
                        twoRowsEightVectors(r, seg, in, b * cols, acc, 0);
                        twoRowsEightVectors(r + 2, seg, in, b * cols, acc, 16 * L);
                    }
                }
                finish(acc, 4, 8, out, b * rows + r);
            }
            for (; b + 4 <= batch; b += 4) {
                java.util.Arrays.fill(acc, 0, 16 * L, 0f);
                for (int seg = 0; seg < layout.segments; seg++) {
                    if (seg < wholeSegments) {
                        twoRowsFourVectorsWhole(r, seg, in, b * cols, acc, 0);
                        twoRowsFourVectorsWhole(r + 2, seg, in, b * cols, acc, 8 * L);
                    } else {
                        twoRowsFourVectors(r, seg, in, b * cols, acc, 0);
                        twoRowsFourVectors(r + 2, seg, in, b * cols, acc, 8 * L);
                    }
                }
                finish(acc, 4, 4, out, b * rows + r);
            }
            for (; b < batch; b++) {
                decodeOneVector(in, b * cols, out, b * rows, r, r + 4);
            }
        }
        for (; r < rowEnd; r++) {
            rowAlone(r, in, out, first, batch);
        }
    }

    private void rowAlone(int r, float[] in, float[] out, int first, int batch) {
        for (int v = first; v < batch; v++) {
            out[v * rows + r] = dotRow(r, in, v * cols);
        }
    }

    /** Lane sums of the accumulators of {@code rowCount} rows x {@code vectors} (row-major) into out. */
    private void finish(float[] acc, int rowCount, int vectors, float[] out, int o0) {
        for (int i = 0; i < rowCount; i++) {
            for (int v = 0; v < vectors; v += 4) {
                int a = (i * vectors + v) * L;
                VectorShapes.sum4(FloatVector.fromArray(F, acc, a), FloatVector.fromArray(F, acc, a + L),
                        FloatVector.fromArray(F, acc, a + 2 * L), FloatVector.fromArray(F, acc, a + 3 * L), out,
                        o0 + v * rows + i, rows);
            }
        }
    }

    // The two-row kernels run on whole groups of four rows only: a constant stride between steps, so that C2 can
    // take the bounds checks of the weight loads out of the loop (with the stride of the last group, a variable,
    // they stayed in and took a sixth of the time).

    /** Segment {@code seg} of rows row, row + 1 (a whole group, row even) with vectors at x0 ... x0 + 7 cols. */
    private void twoRowsEightVectors(int row, int seg, float[] in, int x0, float[] acc, int a0) {
        int n = cols;
        int start = layout.firstBlock[seg] * 32;
        int steps = layout.steps[seg];
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F), s4 = FloatVector.zero(F), s5 = FloatVector.zero(F);
        FloatVector s6 = FloatVector.zero(F), s7 = FloatVector.zero(F);
        FloatVector t0 = FloatVector.zero(F), t1 = FloatVector.zero(F), t2 = FloatVector.zero(F);
        FloatVector t3 = FloatVector.zero(F), t4 = FloatVector.zero(F), t5 = FloatVector.zero(F);
        FloatVector t6 = FloatVector.zero(F), t7 = FloatVector.zero(F);
        long o0 = rowBase(row) + 4L * start;
        for (int k = 0; k < steps; k++) {
            int x = x0 + start + k * L;
            long o = o0 + k * (4L * L);
            FloatVector w = weights(o);
            FloatVector u = weights(o + L);
            FloatVector v = FloatVector.fromArray(F, in, x);
            s0 = w.fma(v, s0);
            t0 = u.fma(v, t0);
            v = FloatVector.fromArray(F, in, x + n);
            s1 = w.fma(v, s1);
            t1 = u.fma(v, t1);
            v = FloatVector.fromArray(F, in, x + 2 * n);
            s2 = w.fma(v, s2);
            t2 = u.fma(v, t2);
            v = FloatVector.fromArray(F, in, x + 3 * n);
            s3 = w.fma(v, s3);
            t3 = u.fma(v, t3);
            v = FloatVector.fromArray(F, in, x + 4 * n);
            s4 = w.fma(v, s4);
            t4 = u.fma(v, t4);
            v = FloatVector.fromArray(F, in, x + 5 * n);
            s5 = w.fma(v, s5);
            t5 = u.fma(v, t5);
            v = FloatVector.fromArray(F, in, x + 6 * n);
            s6 = w.fma(v, s6);
            t6 = u.fma(v, t6);
            v = FloatVector.fromArray(F, in, x + 7 * n);
            s7 = w.fma(v, s7);
            t7 = u.fma(v, t7);
        }
        FloatVector d = scales(row, seg);
        FloatVector e = scales(row + 1, seg);
        int a = a0;
        s0.fma(d, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        s1.fma(d, FloatVector.fromArray(F, acc, a + L)).intoArray(acc, a + L);
        s2.fma(d, FloatVector.fromArray(F, acc, a + 2 * L)).intoArray(acc, a + 2 * L);
        s3.fma(d, FloatVector.fromArray(F, acc, a + 3 * L)).intoArray(acc, a + 3 * L);
        s4.fma(d, FloatVector.fromArray(F, acc, a + 4 * L)).intoArray(acc, a + 4 * L);
        s5.fma(d, FloatVector.fromArray(F, acc, a + 5 * L)).intoArray(acc, a + 5 * L);
        s6.fma(d, FloatVector.fromArray(F, acc, a + 6 * L)).intoArray(acc, a + 6 * L);
        s7.fma(d, FloatVector.fromArray(F, acc, a + 7 * L)).intoArray(acc, a + 7 * L);
        a += 8 * L;
        t0.fma(e, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        t1.fma(e, FloatVector.fromArray(F, acc, a + L)).intoArray(acc, a + L);
        t2.fma(e, FloatVector.fromArray(F, acc, a + 2 * L)).intoArray(acc, a + 2 * L);
        t3.fma(e, FloatVector.fromArray(F, acc, a + 3 * L)).intoArray(acc, a + 3 * L);
        t4.fma(e, FloatVector.fromArray(F, acc, a + 4 * L)).intoArray(acc, a + 4 * L);
        t5.fma(e, FloatVector.fromArray(F, acc, a + 5 * L)).intoArray(acc, a + 5 * L);
        t6.fma(e, FloatVector.fromArray(F, acc, a + 6 * L)).intoArray(acc, a + 6 * L);
        t7.fma(e, FloatVector.fromArray(F, acc, a + 7 * L)).intoArray(acc, a + 7 * L);
    }

    // Whole segments (L blocks: all of a row but its last few blocks) are read through a slice of exactly their
    // bytes in a group of four rows, at offsets k * 4L + (0 .. 3) * L for steps k < 32: C2 sees that the slice's size
    // is a constant and every offset lies inside it, and drops the bounds checks of the weight loads. Over the whole
    // matrix it had to keep them, or take them out of each 32-step loop by running its first and last steps checked
    // (a pre- and a post-loop with their set-up, per segment): with bounds checks switched off
    // (jdk.incubator.vector.VECTOR_ACCESS_OOB_CHECK=0) the four-vector kernel ran 1.4 to 1.8 times as fast.
    // The *Whole kernels repeat the arithmetic of twoRowsFourVectors/twoRowsEightVectors on purpose: one method
    // serving both would be compiled once for segments of every size and keep the checks.

    /** Bytes of a whole segment of a group of four rows. */
    private static final long WHOLE_SEGMENT_BYTES = 32L * 4 * L;

    /** Whole segment {@code seg} of the group of four rows that holds {@code row}. */
    private MemorySegment wholeSegment(int row, int seg) {
        return quants.asSlice((long) (row & ~3) * cols + seg * WHOLE_SEGMENT_BYTES, WHOLE_SEGMENT_BYTES);
    }

    /** The weights of one step at {@code offset} in a {@link #wholeSegment}. */
    private static FloatVector weights(MemorySegment wholeSegment, long offset) {
        return (FloatVector) ByteVector.fromMemorySegment(B, wholeSegment, offset, LE)
                .convertShape(VectorOperators.B2F, F, 0);
    }

    /** Segment {@code seg} of rows row, row + 1 (a whole group, row even) with vectors at x0 ... x0 + 3 cols. */
    private void twoRowsFourVectors(int row, int seg, float[] in, int x0, float[] acc, int a0) {
        int n = cols;
        int start = layout.firstBlock[seg] * 32;
        int steps = layout.steps[seg];
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        FloatVector t0 = FloatVector.zero(F), t1 = FloatVector.zero(F), t2 = FloatVector.zero(F);
        FloatVector t3 = FloatVector.zero(F);
        long o0 = rowBase(row) + 4L * start;
        for (int k = 0; k < steps; k++) {
            int x = x0 + start + k * L;
            long o = o0 + k * (4L * L);
            FloatVector w = weights(o);
            FloatVector u = weights(o + L);
            FloatVector v = FloatVector.fromArray(F, in, x);
            s0 = w.fma(v, s0);
            t0 = u.fma(v, t0);
            v = FloatVector.fromArray(F, in, x + n);
            s1 = w.fma(v, s1);
            t1 = u.fma(v, t1);
            v = FloatVector.fromArray(F, in, x + 2 * n);
            s2 = w.fma(v, s2);
            t2 = u.fma(v, t2);
            v = FloatVector.fromArray(F, in, x + 3 * n);
            s3 = w.fma(v, s3);
            t3 = u.fma(v, t3);
        }
        FloatVector d = scales(row, seg);
        FloatVector e = scales(row + 1, seg);
        int a = a0;
        s0.fma(d, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        s1.fma(d, FloatVector.fromArray(F, acc, a + L)).intoArray(acc, a + L);
        s2.fma(d, FloatVector.fromArray(F, acc, a + 2 * L)).intoArray(acc, a + 2 * L);
        s3.fma(d, FloatVector.fromArray(F, acc, a + 3 * L)).intoArray(acc, a + 3 * L);
        a += 4 * L;
        t0.fma(e, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        t1.fma(e, FloatVector.fromArray(F, acc, a + L)).intoArray(acc, a + L);
        t2.fma(e, FloatVector.fromArray(F, acc, a + 2 * L)).intoArray(acc, a + 2 * L);
        t3.fma(e, FloatVector.fromArray(F, acc, a + 3 * L)).intoArray(acc, a + 3 * L);
    }

    /** {@link #twoRowsEightVectors} of a whole segment: the same operations, bounds checks left to the slice. */
    private void twoRowsEightVectorsWhole(int row, int seg, float[] in, int x0, float[] acc, int a0) {
        int n = cols;
        int start = seg * 32 * L;
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F), s4 = FloatVector.zero(F), s5 = FloatVector.zero(F);
        FloatVector s6 = FloatVector.zero(F), s7 = FloatVector.zero(F);
        FloatVector t0 = FloatVector.zero(F), t1 = FloatVector.zero(F), t2 = FloatVector.zero(F);
        FloatVector t3 = FloatVector.zero(F), t4 = FloatVector.zero(F), t5 = FloatVector.zero(F);
        FloatVector t6 = FloatVector.zero(F), t7 = FloatVector.zero(F);
        MemorySegment q = wholeSegment(row, seg);
        long o0 = (row & 2) * L;
        for (int k = 0; k < 32; k++) {
            int x = x0 + start + k * L;
            long o = o0 + k * (4L * L);
            FloatVector w = weights(q, o);
            FloatVector u = weights(q, o + L);
            FloatVector v = FloatVector.fromArray(F, in, x);
            s0 = w.fma(v, s0);
            t0 = u.fma(v, t0);
            v = FloatVector.fromArray(F, in, x + n);
            s1 = w.fma(v, s1);
            t1 = u.fma(v, t1);
            v = FloatVector.fromArray(F, in, x + 2 * n);
            s2 = w.fma(v, s2);
            t2 = u.fma(v, t2);
            v = FloatVector.fromArray(F, in, x + 3 * n);
            s3 = w.fma(v, s3);
            t3 = u.fma(v, t3);
            v = FloatVector.fromArray(F, in, x + 4 * n);
            s4 = w.fma(v, s4);
            t4 = u.fma(v, t4);
            v = FloatVector.fromArray(F, in, x + 5 * n);
            s5 = w.fma(v, s5);
            t5 = u.fma(v, t5);
            v = FloatVector.fromArray(F, in, x + 6 * n);
            s6 = w.fma(v, s6);
            t6 = u.fma(v, t6);
            v = FloatVector.fromArray(F, in, x + 7 * n);
            s7 = w.fma(v, s7);
            t7 = u.fma(v, t7);
        }
        FloatVector d = wholeSegmentScales(row, seg);
        FloatVector e = wholeSegmentScales(row + 1, seg);
        int a = a0;
        s0.fma(d, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        s1.fma(d, FloatVector.fromArray(F, acc, a + L)).intoArray(acc, a + L);
        s2.fma(d, FloatVector.fromArray(F, acc, a + 2 * L)).intoArray(acc, a + 2 * L);
        s3.fma(d, FloatVector.fromArray(F, acc, a + 3 * L)).intoArray(acc, a + 3 * L);
        s4.fma(d, FloatVector.fromArray(F, acc, a + 4 * L)).intoArray(acc, a + 4 * L);
        s5.fma(d, FloatVector.fromArray(F, acc, a + 5 * L)).intoArray(acc, a + 5 * L);
        s6.fma(d, FloatVector.fromArray(F, acc, a + 6 * L)).intoArray(acc, a + 6 * L);
        s7.fma(d, FloatVector.fromArray(F, acc, a + 7 * L)).intoArray(acc, a + 7 * L);
        a += 8 * L;
        t0.fma(e, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        t1.fma(e, FloatVector.fromArray(F, acc, a + L)).intoArray(acc, a + L);
        t2.fma(e, FloatVector.fromArray(F, acc, a + 2 * L)).intoArray(acc, a + 2 * L);
        t3.fma(e, FloatVector.fromArray(F, acc, a + 3 * L)).intoArray(acc, a + 3 * L);
        t4.fma(e, FloatVector.fromArray(F, acc, a + 4 * L)).intoArray(acc, a + 4 * L);
        t5.fma(e, FloatVector.fromArray(F, acc, a + 5 * L)).intoArray(acc, a + 5 * L);
        t6.fma(e, FloatVector.fromArray(F, acc, a + 6 * L)).intoArray(acc, a + 6 * L);
        t7.fma(e, FloatVector.fromArray(F, acc, a + 7 * L)).intoArray(acc, a + 7 * L);
    }

    /** {@link #twoRowsFourVectors} of a whole segment: the same operations, bounds checks left to the slice. */
    private void twoRowsFourVectorsWhole(int row, int seg, float[] in, int x0, float[] acc, int a0) {
        int n = cols;
        int start = seg * 32 * L;
        FloatVector s0 = FloatVector.zero(F), s1 = FloatVector.zero(F), s2 = FloatVector.zero(F);
        FloatVector s3 = FloatVector.zero(F);
        FloatVector t0 = FloatVector.zero(F), t1 = FloatVector.zero(F), t2 = FloatVector.zero(F);
        FloatVector t3 = FloatVector.zero(F);
        MemorySegment q = wholeSegment(row, seg);
        long o0 = (row & 2) * L;
        for (int k = 0; k < 32; k++) {
            int x = x0 + start + k * L;
            long o = o0 + k * (4L * L);
            FloatVector w = weights(q, o);
            FloatVector u = weights(q, o + L);
            FloatVector v = FloatVector.fromArray(F, in, x);
            s0 = w.fma(v, s0);
            t0 = u.fma(v, t0);
            v = FloatVector.fromArray(F, in, x + n);
            s1 = w.fma(v, s1);
            t1 = u.fma(v, t1);
            v = FloatVector.fromArray(F, in, x + 2 * n);
            s2 = w.fma(v, s2);
            t2 = u.fma(v, t2);
            v = FloatVector.fromArray(F, in, x + 3 * n);
            s3 = w.fma(v, s3);
            t3 = u.fma(v, t3);
        }
        FloatVector d = wholeSegmentScales(row, seg);
        FloatVector e = wholeSegmentScales(row + 1, seg);
        int a = a0;
        s0.fma(d, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        s1.fma(d, FloatVector.fromArray(F, acc, a + L)).intoArray(acc, a + L);
        s2.fma(d, FloatVector.fromArray(F, acc, a + 2 * L)).intoArray(acc, a + 2 * L);
        s3.fma(d, FloatVector.fromArray(F, acc, a + 3 * L)).intoArray(acc, a + 3 * L);
        a += 4 * L;
        t0.fma(e, FloatVector.fromArray(F, acc, a)).intoArray(acc, a);
        t1.fma(e, FloatVector.fromArray(F, acc, a + L)).intoArray(acc, a + L);
        t2.fma(e, FloatVector.fromArray(F, acc, a + 2 * L)).intoArray(acc, a + 2 * L);
        t3.fma(e, FloatVector.fromArray(F, acc, a + 3 * L)).intoArray(acc, a + 3 * L);
    }

    /** Row {@code row} in {@link #productOrder}: the same values as {@link #dequantizeRowInto}, rearranged. */
    @Override
    void dequantizeRowForProducts(int row, float[] out, int outOffset) {
        long base = rowBase(row), stride = rowStride(row);
        for (int seg = 0, segments = layout.segments; seg < segments; seg++) {
            int start = layout.firstBlock[seg] * 32;
            int steps = layout.steps[seg];
            FloatVector d = scales(row, seg);
            long o0 = base + start / L * stride;
            for (int k = 0; k < steps; k++) {
                int p = start + k * L;
                weights(o0 + k * stride).mul(d).intoArray(out, outOffset + p);
            }
        }
    }

    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        Scratch scratch = SCRATCH.get();
        if (scratch.row.length < cols) scratch.row = new float[cols];
        float[] packed = scratch.row;
        dequantizeRowForProducts(row, packed, 0);
        int[] order = layout.order;
        for (int i = 0; i < cols; i++) {
            out[outOffset + order[i]] = packed[i];
        }
    }
}
