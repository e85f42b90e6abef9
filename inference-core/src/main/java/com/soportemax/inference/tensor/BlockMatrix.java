package com.soportemax.inference.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * A weight matrix over GGML blocks. Validation, threading and the choice between decode (batch 1) and batched
 * kernels live here; each type subclass supplies a vectorized row dot product ({@link #dotRow}) and an exact
 * vectorized row dequantization ({@link #dequantizeRowInto}). The scalar reference of both is kept beside them
 * ({@link #multiplyReference}, {@link #dequantizeRowReference}) and is what runs when the Vector API is unavailable.
 */
class BlockMatrix implements WeightMatrix {

    final GgmlType type;
    final MemorySegment data;
    final int rows;
    final int cols;
    final int blocksPerRow;
    final long rowBytes;

    BlockMatrix(GgmlType type, MemorySegment data, int rows, int cols) {
        this.type = type;
        this.data = data;
        this.rows = rows;
        this.cols = cols;
        this.blocksPerRow = cols / type.blockSize();
        this.rowBytes = (long) blocksPerRow * type.blockBytes();
    }

    @Override
    public final GgmlType type() {
        return type;
    }

    @Override
    public final int rows() {
        return rows;
    }

    @Override
    public final int cols() {
        return cols;
    }

    final long rowOffset(int row) {
        return row * rowBytes;
    }

    @Override
    public final void multiply(float[] in, float[] out, int batch, int rowStart, int rowEnd) {
        checkProduct(in, out, batch);
        Objects.checkFromToIndex(rowStart, rowEnd, rows);
        multiplyRows(in, batch == 1 ? decodeInput(in, 0, 1) : in, out, batch, rowStart, rowEnd, 0);
    }

    @Override
    public final void multiply(float[] in, float[] out, int batch, KernelPool pool) {
        checkProduct(in, out, batch);
        long product = BatchedKernels.nextProduct();
        float[] decodeIn = batch == 1 ? decodeInput(in, 0, 1) : in;
        parallelRows(pool, rows, rowBytes, (start, end) -> multiplyRows(in, decodeIn, out, batch, start, end,
                product));
    }

    @Override
    public final void multiplyMixed(float[] in, float[] out, int prompt, int batch, KernelPool pool) {
        checkProduct(in, out, batch);
        if (prompt < 0 || prompt > batch) {
            throw new IllegalArgumentException("prompt vectors " + prompt + " outside [0, " + batch + "]");
        }
        long product = BatchedKernels.nextProduct();
        float[] decodeIn = decodeInput(in, prompt, batch);
        parallelRows(pool, rows, rowBytes, (start, end) -> multiplyMixedRows(in, decodeIn, out, prompt, batch, start,
                end, product));
    }

    /** Rows handed out together: whole tiles of the batched kernels (8 rows) and groups of the Q8_0 kernels (4). */
    private static final int ROW_GROUP = 8;

    /**
     * Weight bytes per chunk of a parallel product. With a few chunks per thread, a thread finishing early waited for
     * up to a whole chunk at every product (for the output matrix, 18 MB each); chunks of this size keep that wait
     * short, and claiming one costs far less than reading it.
     */
    private static final long CHUNK_BYTES = 256 << 10;

    /**
     * Runs {@code task} over rows [0, rows) on the pool in chunks of about {@link #CHUNK_BYTES} of weights (at least
     * the pool's default count), every chunk boundary on a multiple of {@link #ROW_GROUP} rows.
     */
    static void parallelRows(KernelPool pool, int rows, long bytesPerRow, KernelPool.RangeTask task) {
        int groups = (rows + ROW_GROUP - 1) / ROW_GROUP;
        long byBytes = (long) rows * bytesPerRow / CHUNK_BYTES;
        int chunks = (int) Math.min(groups, Math.max(4L * pool.threads(), byBytes));
        pool.parallelFor(groups, chunks, (first, last) -> task.run(first * ROW_GROUP,
                Math.min(rows, last * ROW_GROUP)));
    }

    @Override
    public final void multiplyMixed(float[] in, float[] out, int prompt, int batch, int rowStart, int rowEnd) {
        checkMixed(in, out, prompt, batch, rowStart, rowEnd);
        multiplyMixedRows(in, decodeInput(in, prompt, batch), out, prompt, batch, rowStart, rowEnd, 0);
    }

    /**
     * {@link #multiplyMixed} of rows [rowStart, rowEnd) as part of {@code product} (0: one of its own), with the
     * generated vectors already in {@link #decodeInput} order in {@code decodeIn}.
     */
    final void multiplyMixedChecked(float[] in, float[] decodeIn, float[] out, int prompt, int batch, int rowStart,
                                    int rowEnd, long product) {
        checkMixed(in, out, prompt, batch, rowStart, rowEnd);
        multiplyMixedRows(in, decodeIn, out, prompt, batch, rowStart, rowEnd, product);
    }

    private void checkMixed(float[] in, float[] out, int prompt, int batch, int rowStart, int rowEnd) {
        checkProduct(in, out, batch);
        Objects.checkFromToIndex(rowStart, rowEnd, rows);
        if (prompt < 0 || prompt > batch) {
            throw new IllegalArgumentException("prompt vectors " + prompt + " outside [0, " + batch + "]");
        }
    }

    /**
     * The input of the decode kernels: {@code in} itself, or for types whose kernels read a row's elements in
     * another order ({@link #productOrder}), vectors [first, batch) rearranged into it in a copy that stays valid
     * until this thread's next call (vectors before {@code first} are not copied).
     */
    float[] decodeInput(float[] in, int first, int batch) {
        return in;
    }

    /**
     * The order in which the batched kernels sum a row's products, as element indices, or null for the natural
     * order; {@link #dequantizeRowForProducts} writes rows in it.
     */
    int[] productOrder() {
        return null;
    }

    /** Row {@code row} dequantized into {@link #productOrder}. */
    void dequantizeRowForProducts(int row, float[] out, int outOffset) {
        dequantizeRowInto(row, out, outOffset);
    }

    /**
     * Arguments already checked; see {@link #multiplyMixed}. {@code product}: the calls of one product share the
     * transposed prompt vectors (see {@link BatchedKernels#nextProduct}), 0 for a product of its own.
     */
    final void multiplyMixedRows(float[] in, float[] decodeIn, float[] out, int prompt, int batch, int rowStart,
                                 int rowEnd, long product) {
        if (!VectorShapes.ENABLED) {
            ReferenceKernels.multiply(this, in, out, batch, rowStart, rowEnd);
            return;
        }
        if (prompt > 0) {
            BatchedKernels.multiply(this, in, out, prompt, rowStart, rowEnd, product);
        }
        if (batch > prompt) {
            decodeRows(decodeIn, out, prompt, batch, rowStart, rowEnd);
        }
    }

    /**
     * Vectors [first, batch) against rows [rowStart, rowEnd), each result bit-identical to {@link #dotRow}: four
     * vectors at a time through {@link #dotRowFourVectors}, the rest one at a time, over tiles of rows small enough
     * to stay in L2 cache between the passes over them.
     */
    void decodeRows(float[] in, float[] out, int first, int batch, int rowStart, int rowEnd) {
        for (int tile = rowStart; tile < rowEnd; tile += DECODE_TILE_ROWS) {
            int tileEnd = Math.min(rowEnd, tile + DECODE_TILE_ROWS);
            int b = first;
            for (; b + 4 <= batch; b += 4) {
                for (int r = tile; r < tileEnd; r++) {
                    dotRowFourVectors(r, in, b * cols, out, b * rows + r);
                }
            }
            for (; b < batch; b++) {
                decodeOneVector(in, b * cols, out, b * rows, tile, tileEnd);
            }
        }
    }

    private static final int DECODE_TILE_ROWS = 64;

    /**
     * {@link #dotRow} of {@code row} with the four vectors at x0, x0+cols, ...; results at o0, o0+rows, ...,
     * bit-identical to four calls. Types override it with kernels that load and convert each weight once for all
     * four, with each vector's operations exactly dotRow's, in the same order.
     */
    void dotRowFourVectors(int row, float[] in, int x0, float[] out, int o0) {
        for (int k = 0; k < 4; k++) {
            out[o0 + k * rows] = dotRow(row, in, x0 + k * cols);
        }
    }

    /**
     * Arguments already checked. Batch 1 (decode) streams each row once through {@link #dotRow}, reading
     * {@code decodeIn} ({@link #decodeInput}); larger batches go to the batched kernels ({@link BatchedKernels}).
     */
    final void multiplyRows(float[] in, float[] decodeIn, float[] out, int batch, int rowStart, int rowEnd,
                            long product) {
        if (!VectorShapes.ENABLED) {
            ReferenceKernels.multiply(this, in, out, batch, rowStart, rowEnd);
        } else if (batch == 1) {
            decodeOneVector(decodeIn, 0, out, 0, rowStart, rowEnd);
        } else {
            BatchedKernels.multiply(this, in, out, batch, rowStart, rowEnd, product);
        }
    }

    /**
     * {@code out[outOffset + r] = dotRow(r, in, inOffset)} for rows [rowStart, rowEnd), bit-identical to it; types
     * override it with kernels that share the vector's loads between rows.
     */
    void decodeOneVector(float[] in, int inOffset, float[] out, int outOffset, int rowStart, int rowEnd) {
        for (int r = rowStart; r < rowEnd; r++) {
            out[outOffset + r] = dotRow(r, in, inOffset);
        }
    }

    /** Dot product of row {@code row} with {@code in[inOffset ... inOffset + cols)}; types override it with vectors. */
    float dotRow(int row, float[] in, int inOffset) {
        return ReferenceKernels.dot(this, row, in, inOffset);
    }

    /** Row {@code row} as floats, bit-identical to the reference dequantization; types override it with vectors. */
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        dequantizeRowReference(row, out, outOffset);
    }

    /** The scalar reference product that {@link #multiplyRows} must match. */
    final void multiplyReference(float[] in, float[] out, int batch, int rowStart, int rowEnd) {
        checkProduct(in, out, batch);
        Objects.checkFromToIndex(rowStart, rowEnd, rows);
        ReferenceKernels.multiply(this, in, out, batch, rowStart, rowEnd);
    }

    /** The scalar reference dequantization that {@link #dequantizeRowInto} must match. */
    final void dequantizeRowReference(int row, float[] out, int outOffset) {
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++) {
            ReferenceKernels.dequantizeBlock(type, data, offset + (long) b * type.blockBytes(), out,
                    outOffset + b * type.blockSize());
        }
    }

    @Override
    public final void dequantizeRow(int row, float[] out, int outOffset) {
        Objects.checkIndex(row, rows);
        Objects.checkFromIndexSize(outOffset, cols, out.length);
        if (VectorShapes.ENABLED) {
            dequantizeRowInto(row, out, outOffset);
        } else {
            dequantizeRowReference(row, out, outOffset);
        }
    }

    private void checkProduct(float[] in, float[] out, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, was " + batch);
        }
        if ((long) batch * cols > in.length) {
            throw new IllegalArgumentException("input holds " + in.length + " floats but " + batch + " vectors of "
                    + cols + " are needed");
        }
        if ((long) batch * rows > out.length) {
            throw new IllegalArgumentException("output holds " + out.length + " floats but " + batch
                    + " vectors of " + rows + " are needed");
        }
    }

    @Override
    public String toString() {
        return type + "[" + rows + "x" + cols + "]";
    }
}
