package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.GgufTensor;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.Halves;
import com.soportemax.inference.tensor.WeightMatrices;
import com.soportemax.inference.tensor.WeightMatrix;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a model's tensors with shape checks that name the tensor, and counts parameters per type. */
final class TensorReader {

    private final GgufFile gguf;
    final Map<GgmlType, Long> counts = new LinkedHashMap<>();

    TensorReader(GgufFile gguf) {
        this.gguf = gguf;
    }

    /** A weight matrix over the mapping (repacked copies freed with it). */
    WeightMatrix matrix(String name, int rows, int cols) throws ModelFormatException {
        GgufTensor t = gguf.requireTensor(name);
        if (t.cols() != cols || t.rows() != rows) {
            throw new ModelFormatException("tensor '" + name + "' has shape " + Arrays.toString(t.shape())
                    + " but the metadata implies [" + cols + ", " + rows + "]");
        }
        counts.merge(t.type(), t.elementCount(), Long::sum);
        try {
            var mapping = gguf.mappingArena();
            return mapping.isPresent()
                    ? WeightMatrices.ofMapping(t.type(), gguf.data(t), rows, cols, mapping.get())
                    : WeightMatrices.of(t.type(), gguf.data(t), rows, cols);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new ModelFormatException("tensor '" + name + "': " + e.getMessage(), e);
        }
    }

    /** {@link #vector}, or null when the file has no such tensor. */
    float[] optionalVector(String name, int n) throws ModelFormatException {
        return gguf.tensor(name).isPresent() ? vector(name, n) : null;
    }

    /** A norm or bias vector (F32 or F16), copied. */
    float[] vector(String name, int n) throws ModelFormatException {
        GgufTensor t = gguf.requireTensor(name);
        if (t.elementCount() != n) {
            throw new ModelFormatException("tensor '" + name + "' has " + t.elementCount() + " values, expected " + n);
        }
        counts.merge(t.type(), t.elementCount(), Long::sum);
        MemorySegment data = gguf.data(t);
        float[] out = new float[n];
        switch (t.type()) {
            case F32 -> MemorySegment.copy(data, ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN),
                    0, out, 0, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out[i] = Halves.read(data, 2L * i);
                }
            }
            default -> throw new ModelFormatException("tensor '" + name + "' must be F32 or F16, is " + t.type());
        }
        return out;
    }
}
