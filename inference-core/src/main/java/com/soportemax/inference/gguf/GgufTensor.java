package com.soportemax.inference.gguf;

import com.soportemax.inference.tensor.GgmlType;

import java.util.Arrays;

/**
 * A tensor described by a GGUF file.
 *
 * @param shape      dimensions in GGUF order: {@code shape[0]} is the innermost (contiguous) one, so a weight matrix
 *                   of {@code rows x cols} has {@code shape = {cols, rows}}
 * @param fileOffset absolute byte offset of the data in the file
 */
public record GgufTensor(String name, GgmlType type, long[] shape, long fileOffset) {

    public GgufTensor {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    public long byteSize() {
        return type.bytesFor(elementCount());
    }

    /** Innermost dimension: the columns of a matrix. */
    public long cols() {
        return shape[0];
    }

    /** Product of the outer dimensions: the rows of a matrix (1 for a vector). */
    public long rows() {
        return elementCount() / shape[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufTensor t && name.equals(t.name) && type == t.type && Arrays.equals(shape, t.shape)
                && fileOffset == t.fileOffset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape) + " @" + fileOffset;
    }
}
