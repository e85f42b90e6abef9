package com.soportemax.inference.tensor;

/**
 * A rows x cols weight matrix stored in one of the GGML types, usually inside a memory-mapped GGUF file.
 * Row r occupies {@code cols / type.blockSize()} consecutive blocks. Multiplication computes
 * {@code out[b*rows + r] = dot(row r, in[b*cols ... b*cols + cols))} for each of {@code batch} input vectors;
 * the kernels specialise small batches so that each weight block read from memory serves several tokens.
 * Implementations are immutable and thread-safe.
 */
public interface WeightMatrix {

    GgmlType type();

    int rows();

    int cols();

    /** Rows [rowStart, rowEnd) of the product for {@code batch} vectors, on the calling thread. */
    void multiply(float[] in, float[] out, int batch, int rowStart, int rowEnd);

    /** The whole product, split over rows on {@code pool}'s threads. */
    void multiply(float[] in, float[] out, int batch, KernelPool pool);

    /**
     * The product for {@code batch} vectors of which the first {@code prompt} are prompt tokens and the rest
     * generated tokens. Each vector's result depends only on its own kind, never on the batch around it: prompt
     * vectors get the batched kernels' numerics, generated vectors exactly the numerics of a batch-1 product. So a
     * sequence decoded among others gives the same tokens as decoded alone.
     */
    void multiplyMixed(float[] in, float[] out, int prompt, int batch, KernelPool pool);

    /** Rows [rowStart, rowEnd) of {@link #multiplyMixed}, on the calling thread. */
    void multiplyMixed(float[] in, float[] out, int prompt, int batch, int rowStart, int rowEnd);

    /** Row {@code row} as floats (embedding look-up). */
    void dequantizeRow(int row, float[] out, int outOffset);
}
