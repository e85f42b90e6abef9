package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.F;

import jdk.incubator.vector.FloatVector;

/**
 * Products with several input vectors (prefill), with the vectors in the lanes: the batch is transposed once into
 * groups of {@link VectorShapes#LANES} vectors stored element-major ({@code x[k]} of the group's vectors side by
 * side), eight rows at a time are dequantized once into a float scratch, and each weight, broadcast to all lanes,
 * is multiplied with element k of every vector of the group in one fused multiply-add. Eight accumulators (one per
 * row) stay in registers over the whole row and hold the finished results: there is no lane reduction per
 * (row, vector) pair, which with rows of 896 weights cost about as much as the multiply-adds themselves.
 *
 * <p>Each (row, vector) result is the sum over k in order (the matrix's {@link BlockMatrix#productOrder}), one fused
 * multiply-add per element, in its own lane: it depends neither on the tile the row fell in, nor on the other vectors
 * of the batch, nor on the thread count.
 */
final class BatchedKernels {

    private static final int ROWS = 8;

    /**
     * Eight rows times two groups need 16 accumulators plus operands: they fit the 32 registers of AVX-512 (512-bit
     * species), not the 16 of AVX2. Two groups halve the broadcasts per multiply-add.
     */
    private static final boolean WIDE_TILES = VectorShapes.LANES >= 16;

    /** Per-thread scratch: dequantized rows, transposed vectors, one tile of results. Grown on demand. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] weights = new float[0];
        float[] vectors = new float[0];
        final float[] tile = new float[2 * ROWS * VectorShapes.LANES];
        /** The product ({@link #nextProduct}) whose input {@link #vectors} holds transposed, 0 for none. */
        long product;
    }

    private static final java.util.concurrent.atomic.AtomicLong PRODUCTS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A new product number: the calls of one product (the row ranges the pool hands out, and the matrices that share
     * its input) pass the same number, so each thread transposes the input once per product instead of once per
     * range. The input must not change while the product runs.
     */
    static long nextProduct() {
        return PRODUCTS.incrementAndGet();
    }

    private BatchedKernels() {
    }

    static void multiply(BlockMatrix m, float[] in, float[] out, int batch, int rowStart, int rowEnd) {
        multiply(m, in, out, batch, rowStart, rowEnd, 0);
    }

    /** {@link #multiply} as part of {@code product} (see {@link #nextProduct}; 0: a product of its own). */
    static void multiply(BlockMatrix m, float[] in, float[] out, int batch, int rowStart, int rowEnd, long product) {
        int cols = m.cols;
        int rows = m.rows;
        int lanes = F.length();
        int groups = (batch + lanes - 1) / lanes;
        Scratch s = SCRATCH.get();
        if (s.weights.length < ROWS * cols) s.weights = new float[ROWS * cols];
        if (product == 0 || s.product != product) {
            if (s.vectors.length < groups * cols * lanes) s.vectors = new float[groups * cols * lanes];
            transpose(in, cols, batch, lanes, m.productOrder(), s.vectors);
            s.product = product;
        }
        float[] w = s.weights;
        float[] xt = s.vectors;
        float[] tile = s.tile;
        int r = rowStart;
        for (; r + ROWS <= rowEnd; r += ROWS) {
            for (int k = 0; k < ROWS; k++) {
                m.dequantizeRowForProducts(r + k, w, k * cols);
            }
            int g = 0;
            if (WIDE_TILES) {
                for (; g + 2 <= groups; g += 2) {
                    eightRowsTwoGroups(w, cols, xt, g * cols * lanes, (g + 1) * cols * lanes, tile);
                    scatter(tile, 0, ROWS, out, rows, r, g * lanes, lanes);
                    scatter(tile, ROWS * lanes, ROWS, out, rows, r, (g + 1) * lanes,
                            Math.min(lanes, batch - (g + 1) * lanes));
                }
            }
            for (; g < groups; g++) {
                eightRows(w, cols, xt, g * cols * lanes, tile);
                scatter(tile, 0, ROWS, out, rows, r, g * lanes, Math.min(lanes, batch - g * lanes));
            }
        }
        for (; r < rowEnd; r++) {
            m.dequantizeRowForProducts(r, w, 0);
            for (int g = 0; g < groups; g++) {
                oneRow(w, cols, xt, g * cols * lanes, tile);
                scatter(tile, 0, 1, out, rows, r, g * lanes, Math.min(lanes, batch - g * lanes));
            }
        }
    }

    /**
     * {@code xt[g*cols*lanes + k*lanes + j] = in[(g*lanes + j)*cols + order[k]]} (order null: k); lanes past the batch
     * are zero.
     */
    private static void transpose(float[] in, int cols, int batch, int lanes, int[] order, float[] xt) {
        int groups = (batch + lanes - 1) / lanes;
        for (int g = 0; g < groups; g++) {
            int base = g * cols * lanes;
            for (int j = 0; j < lanes; j++) {
                int v = g * lanes + j;
                if (v < batch) {
                    int src = v * cols;
                    if (order == null) {
                        for (int k = 0; k < cols; k++) xt[base + k * lanes + j] = in[src + k];
                    } else {
                        for (int k = 0; k < cols; k++) xt[base + k * lanes + j] = in[src + order[k]];
                    }
                } else {
                    for (int k = 0; k < cols; k++) xt[base + k * lanes + j] = 0f;
                }
            }
        }
    }

    /** Lane j of tile row i is the product of row {@code r + i} with vector {@code v0 + j}. */
    private static void scatter(float[] tile, int t0, int tileRows, float[] out, int rows, int r, int v0,
                                int vectors) {
        int lanes = F.length();
        for (int i = 0; i < tileRows; i++) {
            for (int j = 0; j < vectors; j++) {
                out[(v0 + j) * rows + r + i] = tile[t0 + i * lanes + j];
            }
        }
    }

    private static void oneRow(float[] w, int cols, float[] xt, int x0, float[] tile) {
        FloatVector a = FloatVector.zero(F);
        int lanes = F.length();
        for (int k = 0, x = x0; k < cols; k++, x += lanes) {
            a = FloatVector.broadcast(F, w[k]).fma(FloatVector.fromArray(F, xt, x), a);
        }
        a.intoArray(tile, 0);
    }

    private static void eightRows(float[] w, int cols, float[] xt, int x0, float[] tile) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        FloatVector a4 = FloatVector.zero(F), a5 = FloatVector.zero(F);
        FloatVector a6 = FloatVector.zero(F), a7 = FloatVector.zero(F);
        int lanes = F.length();
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols, c4 = 4 * cols, c5 = 5 * cols, c6 = 6 * cols, c7 = 7 * cols;
        for (int k = 0, x = x0; k < cols; k++, x += lanes) {
            FloatVector v = FloatVector.fromArray(F, xt, x);
            a0 = FloatVector.broadcast(F, w[k]).fma(v, a0);
            a1 = FloatVector.broadcast(F, w[c1 + k]).fma(v, a1);
            a2 = FloatVector.broadcast(F, w[c2 + k]).fma(v, a2);
            a3 = FloatVector.broadcast(F, w[c3 + k]).fma(v, a3);
            a4 = FloatVector.broadcast(F, w[c4 + k]).fma(v, a4);
            a5 = FloatVector.broadcast(F, w[c5 + k]).fma(v, a5);
            a6 = FloatVector.broadcast(F, w[c6 + k]).fma(v, a6);
            a7 = FloatVector.broadcast(F, w[c7 + k]).fma(v, a7);
        }
        a0.intoArray(tile, 0);
        a1.intoArray(tile, lanes);
        a2.intoArray(tile, 2 * lanes);
        a3.intoArray(tile, 3 * lanes);
        a4.intoArray(tile, 4 * lanes);
        a5.intoArray(tile, 5 * lanes);
        a6.intoArray(tile, 6 * lanes);
        a7.intoArray(tile, 7 * lanes);
    }

    /** {@link #eightRows} for the groups at x0 and x1 at once: each broadcast weight serves both. */
    private static void eightRowsTwoGroups(float[] w, int cols, float[] xt, int x0, int x1, float[] tile) {
        FloatVector a0 = FloatVector.zero(F), a1 = FloatVector.zero(F);
        FloatVector a2 = FloatVector.zero(F), a3 = FloatVector.zero(F);
        FloatVector a4 = FloatVector.zero(F), a5 = FloatVector.zero(F);
        FloatVector a6 = FloatVector.zero(F), a7 = FloatVector.zero(F);
        FloatVector b0 = FloatVector.zero(F), b1 = FloatVector.zero(F);
        FloatVector b2 = FloatVector.zero(F), b3 = FloatVector.zero(F);
        FloatVector b4 = FloatVector.zero(F), b5 = FloatVector.zero(F);
        FloatVector b6 = FloatVector.zero(F), b7 = FloatVector.zero(F);
        int lanes = F.length();
        int c1 = cols, c2 = 2 * cols, c3 = 3 * cols, c4 = 4 * cols, c5 = 5 * cols, c6 = 6 * cols, c7 = 7 * cols;
        for (int k = 0, x = x0, y = x1; k < cols; k++, x += lanes, y += lanes) {
            FloatVector u = FloatVector.fromArray(F, xt, x);
            FloatVector v = FloatVector.fromArray(F, xt, y);
            FloatVector s = FloatVector.broadcast(F, w[k]);
            a0 = s.fma(u, a0);
            b0 = s.fma(v, b0);
            s = FloatVector.broadcast(F, w[c1 + k]);
            a1 = s.fma(u, a1);
            b1 = s.fma(v, b1);
            s = FloatVector.broadcast(F, w[c2 + k]);
            a2 = s.fma(u, a2);
            b2 = s.fma(v, b2);
            s = FloatVector.broadcast(F, w[c3 + k]);
            a3 = s.fma(u, a3);
            b3 = s.fma(v, b3);
            s = FloatVector.broadcast(F, w[c4 + k]);
            a4 = s.fma(u, a4);
            b4 = s.fma(v, b4);
            s = FloatVector.broadcast(F, w[c5 + k]);
            a5 = s.fma(u, a5);
            b5 = s.fma(v, b5);
            s = FloatVector.broadcast(F, w[c6 + k]);
            a6 = s.fma(u, a6);
            b6 = s.fma(v, b6);
            s = FloatVector.broadcast(F, w[c7 + k]);
            a7 = s.fma(u, a7);
            b7 = s.fma(v, b7);
        }
        int t = 8 * lanes;
        a0.intoArray(tile, 0);
        a1.intoArray(tile, lanes);
        a2.intoArray(tile, 2 * lanes);
        a3.intoArray(tile, 3 * lanes);
        a4.intoArray(tile, 4 * lanes);
        a5.intoArray(tile, 5 * lanes);
        a6.intoArray(tile, 6 * lanes);
        a7.intoArray(tile, 7 * lanes);
        b0.intoArray(tile, t);
        b1.intoArray(tile, t + lanes);
        b2.intoArray(tile, t + 2 * lanes);
        b3.intoArray(tile, t + 3 * lanes);
        b4.intoArray(tile, t + 4 * lanes);
        b5.intoArray(tile, t + 5 * lanes);
        b6.intoArray(tile, t + 6 * lanes);
        b7.intoArray(tile, t + 7 * lanes);
    }
}
