package com.soportemax.inference.tensor;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/** Creates {@link WeightMatrix} views over GGML tensor data. */
public final class WeightMatrices {

    private WeightMatrices() {
    }

    /**
     * A {@code rows x cols} matrix of {@code type} over {@code data} (usually a slice of a memory-mapped GGUF file,
     * read-only, little-endian, possibly larger than 2 GB). The data is read in place, never copied; it must stay
     * mapped while the matrix is used.
     *
     * @throws IllegalArgumentException if {@code cols} is not a multiple of the type's block size, a dimension is not
     *                                  positive, or {@code data} is smaller than the matrix
     */
    public static WeightMatrix of(GgmlType type, MemorySegment data, int rows, int cols) {
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
            case Q8_0 -> new Q8_0Matrix(exact, rows, cols);
            case Q4_0 -> new Q4_0Matrix(exact, rows, cols);
            case Q4_K -> new Q4KMatrix(exact, rows, cols);
            case Q5_K -> new Q5KMatrix(exact, rows, cols);
            case Q6_K -> new Q6KMatrix(exact, rows, cols);
            case F32, F16, BF16 -> new FloatMatrix(type, exact, rows, cols);
        };
    }
}
