package com.soportemax.inference.tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

/** Creates {@link WeightMatrix} views over GGML tensor data. */
public final class WeightMatrices {

    private WeightMatrices() {
    }

    /**
     * A {@code rows x cols} matrix of {@code type} over {@code data} (usually a slice of a memory-mapped GGUF file,
     * read-only, little-endian, possibly larger than 2 GB). The data must stay mapped while the matrix is used. Most
     * types are read in place; Q8_0 is copied once into native memory in the order its kernels read (freed by the
     * garbage collector here; see {@link #ofMapping}). Kernels are fastest over native segments (see
     * {@link #warmUp}).
     *
     * @throws IllegalArgumentException if {@code cols} is not a multiple of the type's block size, a dimension is not
     *                                  positive, or {@code data} is smaller than the matrix
     */
    public static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
        return of(type, data, rows, cols, Arena.ofAuto(), false);
    }

    /**
     * {@link #of(GgmlType, MemorySegment, int, int)} over a slice of a read-only file mapping owned by
     * {@code mappingArena}: repacked weights (Q8_0) are allocated in that arena, so that they are freed with the
     * mapping, and the pages they were copied from are handed back to the page cache instead of staying resident.
     */
    public static WeightMatrix ofMapping(GgmlType type, MemorySegment mapped, int rows, int cols,
                                         Arena mappingArena) {
        return of(type, mapped, rows, cols, Objects.requireNonNull(mappingArena, "mappingArena"), true);
    }

    private static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols, Arena arena,
                                   boolean fileMapping) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(data, "data");
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "a " + type + " matrix needs positive dimensions, got " + rows + "x" + cols);
        }
        if (cols % type.blockSize() != 0) {
            throw new IllegalArgumentException("a " + type + " matrix needs cols to be a multiple of the block size "
                    + type.blockSize() + ", got " + rows + "x" + cols);
        }
        long needed = (long) rows * type.bytesFor(cols);
        if (data.byteSize() < needed) {
            throw new IllegalArgumentException("a " + rows + "x" + cols + " " + type + " matrix needs " + needed
                    + " bytes but the data holds only " + data.byteSize() + " (truncated tensor?)");
        }
        MemorySegment exact = data.asSlice(0, needed);
        return switch (type) {
            case Q8_0 -> new Q8_0Matrix(exact, rows, cols, arena, fileMapping);
            case Q4_0 -> new Q4_0Matrix(exact, rows, cols);
            case Q5_0 -> new Q5_0Matrix(exact, rows, cols);
            case Q4_1 -> new Q4_1Matrix(exact, rows, cols);
            case Q5_1 -> new Q5_1Matrix(exact, rows, cols);
            case Q4_K -> new Q4KMatrix(exact, rows, cols);
            case Q5_K -> new Q5KMatrix(exact, rows, cols);
            case Q6_K -> new Q6KMatrix(exact, rows, cols);
            case F32, F16, BF16 -> new FloatMatrix(type, exact, rows, cols);
        };
    }

    /**
     * {@link WeightMatrix#multiplyMixed} of several matrices of one type and width applied to the same input, as one
     * parallel job over all their rows (one hand-off to the pool instead of one per matrix, and the prompt vectors
     * prepared once for all of them): {@code outs[i]} receives matrix i's product.
     *
     * @throws IllegalArgumentException if the matrices differ in type or columns, or {@code outs} does not match them
     */
    public static void multiplyTogether(WeightMatrix[] matrices, float[] in, float[][] outs, int prompt, int batch,
                                        KernelPool pool) {
        if (matrices.length == 0 || matrices.length != outs.length) {
            throw new IllegalArgumentException(matrices.length + " matrices for " + outs.length + " outputs");
        }
        int total = 0;
        long bytes = 0;
        for (WeightMatrix w : matrices) {
            if (w.type() != matrices[0].type() || w.cols() != matrices[0].cols()) {
                throw new IllegalArgumentException("matrices multiplied together need one type and width: "
                        + matrices[0] + " and " + w);
            }
            total += w.rows();
            if (w instanceof BlockMatrix m) bytes += m.rows * m.rowBytes;
        }
        long product = BatchedKernels.nextProduct();
        // matrices of one type and width read their input in one order
        float[] decodeIn = matrices[0] instanceof BlockMatrix first ? first.decodeInput(in, prompt, batch) : in;
        BlockMatrix.parallelRows(pool, total, Math.max(1, bytes / total), (start, end) -> {
            int base = 0;
            for (int i = 0; i < matrices.length; i++) {
                WeightMatrix w = matrices[i];
                int from = Math.max(start, base), to = Math.min(end, base + w.rows());
                if (from < to) {
                    if (w instanceof BlockMatrix m) {
                        m.multiplyMixedChecked(in, decodeIn, outs[i], prompt, batch, from - base, to - base, product);
                    } else {
                        w.multiplyMixed(in, outs[i], prompt, batch, from - base, to - base);
                    }
                }
                base += w.rows();
            }
        });
    }

    /**
     * Runs the kernels of {@code types} (and {@link FloatOps}) on small matrices until the JIT has compiled them. Until
     * then the Vector API code runs boxed, two to three orders of magnitude slower: without this, the first product
     * with a 896x4864 matrix took over a second. Takes up to {@code maxMillis} (a few seconds on a busy 2-core
     * machine); call it once after loading a model, with the types its tensors use.
     */
    public static void warmUp(Collection<GgmlType> types, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        // Odd row counts and an odd number of blocks, so that remainder paths are compiled too and a real model does
        // not send the compiled kernels back to the interpreter (deoptimisation).
        int rows = 35;
        int maxCols = 3 * 256;
        float[] in = new float[8 * maxCols];
        float[] out = new float[8 * rows];
        float[] row = new float[maxCols];
        float[] weight = new float[maxCols];
        Arrays.fill(in, 0.5f);
        Arrays.fill(weight, 1f);
        try (Arena arena = Arena.ofShared()) {
            List<WeightMatrix> matrices = new ArrayList<>();
            for (GgmlType type : EnumSet.copyOf(types)) {
                for (int cols : type.blockSize() == 256 ? new int[] {maxCols} : new int[] {maxCols, 17 * 32 + 3}) {
                    int usable = cols - cols % type.blockSize();
                    matrices.add(of(type, warmUpData(rows * type.bytesFor(usable), arena), rows, usable));
                }
            }
            for (int round = 0; round < WARM_UP_ROUNDS && System.nanoTime() < deadline; round++) {
                for (WeightMatrix m : matrices) {
                    m.multiply(in, out, 1, 0, rows);
                    m.multiply(in, out, 1 + round % 8, round % 3, rows);
                    // the kernels of generated tokens of several sequences (continuous batching)
                    m.multiplyMixed(in, out, 0, 2 + round % 7, round % 3, rows);
                    m.dequantizeRow(round % rows, row, 0);
                }
                int length = maxCols - round % 5;
                FloatOps.rmsNorm(row, 0, in, 0, weight, 0, length, 1e-6f);
                FloatOps.softmax(row, 0, length);
                FloatOps.siluMul(in, 0, in, maxCols, row, 0, length);
                FloatOps.axpy(0.5f, in, 0, row, 0, length);
                FloatOps.add(row, 0, in, 0, length);
                FloatOps.scale(row, 0, length, 0.5f);
                FloatOps.dot(row, 0, in, 0, length);
                FloatOps.logSumExp(row, 0, length);
                FloatOps.roundToQ8_0(in, row, maxCols);
            }
        }
    }

    /**
     * Zeroed read-only native memory: the kind of segment a model's weights should be handed out as (a native view of
     * the file mapping, {@code MemorySegment.ofAddress(mapped.address()).reinterpret(...)}). The JIT specialises the
     * kernels on the segment class; warmed up on native memory, decode over a {@code FileChannel.map} segment
     * (another class) measured 40% slower than over a native view of the same mapping.
     */
    private static MemorySegment warmUpData(long bytes, Arena arena) {
        return arena.allocate(bytes).asReadOnly();
    }

    /** Enough invocations and loop iterations for C2 to compile every kernel (measured with -XX:+PrintCompilation). */
    private static final int WARM_UP_ROUNDS = 2000;
}
