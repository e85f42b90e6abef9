package com.soportemax.inference.tensor;

import static com.soportemax.inference.tensor.VectorShapes.B;
import static com.soportemax.inference.tensor.VectorShapes.F;
import static com.soportemax.inference.tensor.VectorShapes.LE;

import java.lang.foreign.MemorySegment;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Q5_K super-blocks of 256: as Q4_K (half d, half dmin, 12 bytes of scales and mins, 128 bytes of nibbles) plus
 * 32 bytes of fifth bits before the nibbles: bit s of qh[l] belongs to value l of sub-block s.
 */
final class Q5KMatrix extends BlockMatrix {

    private static final int BLOCK_BYTES = 176;

    Q5KMatrix(MemorySegment data, int rows, int cols) {
        super(GgmlType.Q5_K, data, rows, cols);
    }

    @Override
    float dotRow(int row, float[] in, int inOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        FloatVector accLow = FloatVector.zero(F);
        FloatVector accHigh = FloatVector.zero(F);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = Halves.read(data, offset);
            float dmin = Halves.read(data, offset + 2);
            long scales = offset + 4;
            for (int c = 0; c < 4; c++) {
                FloatVector d1 = FloatVector.broadcast(F, d * KQuantScales.scale(data, scales, 2 * c));
                FloatVector m1 = FloatVector.broadcast(F, -dmin * KQuantScales.min(data, scales, 2 * c));
                FloatVector d2 = FloatVector.broadcast(F, d * KQuantScales.scale(data, scales, 2 * c + 1));
                FloatVector m2 = FloatVector.broadcast(F,
                        -dmin * KQuantScales.min(data, scales, 2 * c + 1));
                long qs = offset + 48 + 32 * c;
                // The fifth bit adds 16 where bit 2c (low nibbles) or 2c+1 (high nibbles) of qh is set.
                byte bitLow = (byte) (1 << (2 * c));
                byte bitHigh = (byte) (1 << (2 * c + 1));
                int x = inOffset + b * 256 + 64 * c;
                for (int i = 0; i < 32; i += F.length()) {
                    ByteVector q = ByteVector.fromMemorySegment(B, data, qs + i, LE);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, offset + 16 + i, LE);
                    VectorMask<Byte> fifthLow = h.and(bitLow).compare(VectorOperators.NE, 0);
                    VectorMask<Byte> fifthHigh = h.and(bitHigh).compare(VectorOperators.NE, 0);
                    FloatVector low = (FloatVector) q.and((byte) 0xF).add((byte) 16, fifthLow)
                            .convertShape(VectorOperators.B2F, F, 0);
                    FloatVector high = (FloatVector) VectorShapes.highNibbles(q).add((byte) 16, fifthHigh)
                            .convertShape(VectorOperators.B2F, F, 0);
                    accLow = low.fma(d1, m1).fma(FloatVector.fromArray(F, in, x + i), accLow);
                    accHigh = high.fma(d2, m2).fma(FloatVector.fromArray(F, in, x + 32 + i), accHigh);
                }
            }
        }
        return VectorShapes.sum(accLow.add(accHigh));
    }


    // Multiply then subtract (two roundings), exactly as the reference.
    @Override
    void dequantizeRowInto(int row, float[] out, int outOffset) {
        MemorySegment data = this.data;
        long offset = rowOffset(row);
        for (int b = 0; b < blocksPerRow; b++, offset += BLOCK_BYTES) {
            float d = Halves.read(data, offset);
            float dmin = Halves.read(data, offset + 2);
            long scales = offset + 4;
            for (int c = 0; c < 4; c++) {
                FloatVector d1 = FloatVector.broadcast(F, d * KQuantScales.scale(data, scales, 2 * c));
                FloatVector m1 = FloatVector.broadcast(F, dmin * KQuantScales.min(data, scales, 2 * c));
                FloatVector d2 = FloatVector.broadcast(F, d * KQuantScales.scale(data, scales, 2 * c + 1));
                FloatVector m2 = FloatVector.broadcast(F,
                        dmin * KQuantScales.min(data, scales, 2 * c + 1));
                long qs = offset + 48 + 32 * c;
                // The fifth bit adds 16 where bit 2c (low nibbles) or 2c+1 (high nibbles) of qh is set.
                byte bitLow = (byte) (1 << (2 * c));
                byte bitHigh = (byte) (1 << (2 * c + 1));
                int o = outOffset + b * 256 + 64 * c;
                for (int i = 0; i < 32; i += F.length()) {
                    ByteVector q = ByteVector.fromMemorySegment(B, data, qs + i, LE);
                    ByteVector h = ByteVector.fromMemorySegment(B, data, offset + 16 + i, LE);
                    VectorMask<Byte> fifthLow = h.and(bitLow).compare(VectorOperators.NE, 0);
                    VectorMask<Byte> fifthHigh = h.and(bitHigh).compare(VectorOperators.NE, 0);
                    ((FloatVector) q.and((byte) 0xF).add((byte) 16, fifthLow).convertShape(VectorOperators.B2F, F, 0))
                            .mul(d1).sub(m1).intoArray(out, o + i);
                    ((FloatVector) VectorShapes.highNibbles(q).add((byte) 16, fifthHigh)
                            .convertShape(VectorOperators.B2F, F, 0)).mul(d2).sub(m2).intoArray(out, o + 32 + i);
                }
            }
        }
    }
}
