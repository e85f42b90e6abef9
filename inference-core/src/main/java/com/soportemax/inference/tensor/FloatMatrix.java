package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.I;
import static com.soportemax.inference.tensor.VectorShapes.LE;
import static com.soportemax.inference.tensor.VectorShapes.S;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorOperators;

/** Unquantized F32, F16 and BF16 matrices: one value per block, rows of any length (a scalar tail after the vectors). */
final class FloatMatrix extends BlockMatrix {

    FloatMatrix(GgmlType type, MemorySegment data, int rows, int cols) {
        super(type, data, rows, cols);
    }

    // One method per type: a shared loop would mix the JIT profiles of the three types.
    @Override
    float dotRow(int row, float[] in, int inOffset) {
        long offset = rowOffset(row);
        return switch (type) {
            case F32 -> dotF32(offset, in, inOffset);
            case F16 -> dotF16(offset, in, inOffset);
            default -> dotBf16(offset, in, inOffset);
        };
    }

    private float dotF32(long offset, float[] in, int inOffset) {
        int bound = F.loopBound(cols);
        FloatVector acc0 = FloatVector.zero(F);
        FloatVector acc1 = FloatVector.zero(F);
        int i = 0;
        for (; i + F.length() < bound; i += 2 * F.length()) {
            acc0 = f32(offset + 4L * i).fma(FloatVector.fromArray(F, in, inOffset + i), acc0);
            acc1 = f32(offset + 4L * (i + F.length())).fma(FloatVector.fromArray(F, in, inOffset + i + F.length()),
                    acc1);
        }
        for (; i < bound; i += F.length()) {
            acc0 = f32(offset + 4L * i).fma(FloatVector.fromArray(F, in, inOffset + i), acc0);
        }
        float sum = VectorShapes.sum(acc0.add(acc1));
        for (; i < cols; i++) {
            sum += data.get(ReferenceKernels.FLOAT_LE, offset + 4L * i) * in[inOffset + i];
        }
        return sum;
    }

    private float dotF16(long offset, float[] in, int inOffset) {
        int bound = F.loopBound(cols);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            acc = f16(offset + 2L * i).fma(FloatVector.fromArray(F, in, inOffset + i), acc);
        }
        float sum = VectorShapes.sum(acc);
        for (; i < cols; i++) {
            sum += FloatOps.halfToFloat(data.get(ReferenceKernels.SHORT_LE, offset + 2L * i)) * in[inOffset + i];
        }
        return sum;
    }

    private float dotBf16(long offset, float[] in, int inOffset) {
        int bound = F.loopBound(cols);
        FloatVector acc = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += F.length()) {
            acc = bf16(offset + 2L * i).fma(FloatVector.fromArray(F, in, inOffset + i), acc);
        }
        float sum = VectorShapes.sum(acc);
        for (; i < cols; i++) {
            sum += FloatOps.bfloat16ToFloat(data.get(ReferenceKernels.SHORT_LE, offset + 2L * i)) * in[inOffset + i];
        }
        return sum;
    }

    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        long offset = rowOffset(row);
        if (type == GgmlType.F32) {
            MemorySegment.copy(data, ReferenceKernels.FLOAT_LE, offset, out, outOffset, cols);
            return;
        }
        if (type == GgmlType.F16) {
            dequantizeF16(offset, out, outOffset);
        } else {
            dequantizeBf16(offset, out, outOffset);
        }
    }

    private void dequantizeF16(long offset, float[] out, int outOffset) {
        int bound = F.loopBound(cols);
        int i = 0;
        for (; i < bound; i += F.length()) {
            f16(offset + 2L * i).intoArray(out, outOffset + i);
        }
        for (; i < cols; i++) {
            out[outOffset + i] = FloatOps.halfToFloat(data.get(ReferenceKernels.SHORT_LE, offset + 2L * i));
        }
    }

    private void dequantizeBf16(long offset, float[] out, int outOffset) {
        int bound = F.loopBound(cols);
        int i = 0;
        for (; i < bound; i += F.length()) {
            bf16(offset + 2L * i).intoArray(out, outOffset + i);
        }
        for (; i < cols; i++) {
            out[outOffset + i] = FloatOps.bfloat16ToFloat(data.get(ReferenceKernels.SHORT_LE, offset + 2L * i));
        }
    }

    private FloatVector f32(long offset) {
        return FloatVector.fromMemorySegment(F, data, offset, LE);
    }

    private IntVector shortsAsInts(long offset) {
        return (IntVector) ShortVector.fromMemorySegment(S, data, offset, LE).convertShape(VectorOperators.S2I, I, 0);
    }

    private FloatVector f16(long offset) {
        return Halves.toFloats(ShortVector.fromMemorySegment(S, data, offset, LE));
    }

    private FloatVector bf16(long offset) {
        return shortsAsInts(offset).lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }
}
