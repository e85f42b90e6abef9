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
 * Q5_1 blocks: half d, half m, 32 fifth bits (bit e for element e), 16 bytes of nibbles laid out as in Q4_0;
 * x = q * d + m. llama.cpp stores Q5_K_M tensors whose rows are not a multiple of 256 in this type.
 */
final class Q5_1Matrix extends BlockMatrix {

    private static final int BLOCK_BYTES = 24;
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LE);
    /** Lane e holds e: shifting the broadcast fifth bits right by it brings element e's bit to bit 0. */
    private static final int[] ELEMENT_INDEX = new int[32];

    static {
        for (int e = 0; e < 32; e++) {
            ELEMENT_INDEX[e] = e;
        }
    }

    Q5_1Matrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_1, data, rows, cols);
    }

    // The quants are assembled as ints (nibble | fifth bit << 4) and converted once; multiply then add (two
    // roundings) as the reference does, so the dequantized values are exact.
    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        FloatVector acc = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            IntVector qh = IntVector.broadcast(I, data.get(INT_LE, offset + 4));
            int x = inOffset + b * 32;
            FloatVector d = FloatVector.broadcast(F, Halves.read(data, offset));
            FloatVector m = FloatVector.broadcast(F, Halves.read(data, offset + 2));
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 8 + j, LE);
                IntVector lowBits = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, j))
                        .lanewise(VectorOperators.LSHL, 4).and(16);
                IntVector highBits = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, 16 + j))
                        .lanewise(VectorOperators.LSHL, 4).and(16);
                IntVector low = ((IntVector) q.and((byte) 0xF).convertShape(VectorOperators.B2I, I, 0))
                        .or(lowBits);
                IntVector high = ((IntVector) VectorShapes.highNibbles(q).convertShape(VectorOperators.B2I, I, 0))
                        .or(highBits);
                acc = ((FloatVector) low.convertShape(VectorOperators.I2F, F, 0)).fma(d, m)
                        .fma(FloatVector.fromArray(F, in, x + j), acc);
                acc = ((FloatVector) high.convertShape(VectorOperators.I2F, F, 0)).fma(d, m)
                        .fma(FloatVector.fromArray(F, in, x + 16 + j), acc);
            }
        }
        return VectorShapes.sum(acc);
    }


    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            IntVector qh = IntVector.broadcast(I, data.get(INT_LE, offset + 4));
            float d = Halves.read(data, offset);
            float m = Halves.read(data, offset + 2);
            int o = outOffset + b * 32;
            for (int j = 0; j < 16; j += F.length()) {
                ByteVector q = ByteVector.fromMemorySegment(B, data, offset + 8 + j, LE);
                IntVector lowBits = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, j))
                        .lanewise(VectorOperators.LSHL, 4).and(16);
                IntVector highBits = qh.lanewise(VectorOperators.LSHR, IntVector.fromArray(I, ELEMENT_INDEX, 16 + j))
                        .lanewise(VectorOperators.LSHL, 4).and(16);
                IntVector low = ((IntVector) q.and((byte) 0xF).convertShape(VectorOperators.B2I, I, 0))
                        .or(lowBits);
                IntVector high = ((IntVector) VectorShapes.highNibbles(q).convertShape(VectorOperators.B2I, I, 0))
                        .or(highBits);
                ((FloatVector) low.convertShape(VectorOperators.I2F, F, 0)).mul(d).add(m).intoArray(out, o + j);
                ((FloatVector) high.convertShape(VectorOperators.I2F, F, 0)).mul(d).add(m)
                        .intoArray(out, o + 16 + j);
            }
        }
    }
}
