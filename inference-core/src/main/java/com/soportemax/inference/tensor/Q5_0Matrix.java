package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.I;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_0 blocks: half d, 32 fifth bits (bit e for element e), 16 bytes of nibbles laid out as in Q4_0;
 * x = (q - 16) * d. llama.cpp stores Q4_K_M tensors whose rows are not a multiple of 256 in this type.
 */
final class Q5_0Matrix extends BlockMatrix {

    private static final int BLOCK_BYTES = 22;
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    /** Lane e holds e: shifting the broadcast fifth bits right by it brings element e's bit to bit 0. */
    private static final int[] ELEMENT_INDEX = new int[32];

    static {
        for (int e = 0; e < 32; e++) {
            ELEMENT_INDEX[e] = e;
        }
    }

    Q5_0Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_0, data, rows, cols);
    }

    // The quants are assembled as ints (nibble | fifth bit << 4, minus 16) and converted once, so the dequantized
    // values equal the reference's int-times-float exactly.
    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            IntVector qh = IntVector.broadcast(I, data.get(INT_LE, offset + 2));
            int x = inOffset + b * 32;
            FloatVector sum = FloatVector.zero(F);
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 6 + j, LE);
                IntVector lowBits = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, j))
                        .lanewise(VectorOperators.LSHL, 4).and(16);
                IntVector highBits = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, 16 + j))
                        .lanewise(VectorOperators.LSHL, 4).and(16);
                IntVector low = ((IntVector) q.and((byte) 0xF).convertShape(VectorOperators.B2I, I, 0))
                        .or(lowBits).sub(16);
                IntVector high = ((IntVector) VectorShapes.highNibbles(q).convertShape(VectorOperators.B2I, I, 0))
                        .or(highBits).sub(16);
                sum = ((FloatVector) low.convertShape(VectorOperators.I2F, F, 0))
                        .fma(FloatVector.fromArray(F, in, x + j), sum);
                sum = ((FloatVector) high.convertShape(VectorOperators.I2F, F, 0))
                        .fma(FloatVector.fromArray(F, in, x + 16 + j), sum);
            }
            acc = sum.fma(FloatVector.broadcast(F, Halves.read(data, offset)), acc);
        }
        return VectorShapes.sum(acc);
    }


    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            IntVector qh = IntVector.broadcast(I, data.get(INT_LE, offset + 2));
            float d = Halves.read(data, offset);
            int o = outOffset + b * 32;
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 6 + j, LE);
                IntVector lowBits = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, j))
                        .lanewise(VectorOperators.LSHL, 4).and(16);
                IntVector highBits = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, 16 + j))
                        .lanewise(VectorOperators.LSHL, 4).and(16);
                IntVector low = ((IntVector) q.and((byte) 0xF).convertShape(VectorOperators.B2I, I, 0))
                        .or(lowBits).sub(16);
                IntVector high = ((IntVector) VectorShapes.highNibbles(q).convertShape(VectorOperators.B2I, I, 0))
                        .or(highBits).sub(16);
                ((FloatVector) low.convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(out, o + j);
                ((FloatVector) high.convertShape(VectorOperators.I2F, F, 0)).mul(d).intoArray(out, o + 16 + j);
            }
        }
    }
}
