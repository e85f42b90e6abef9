package com.soportemax.inference.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WeightMatricesTests {

    private static final short HALF_ONE_EIGHTH = 0x3000;
    private static final short HALF_QUARTER = 0x3400;
    private static final short HALF_HALF = 0x3800;

    private static float[] dequantize(GgmlType type, ByteBuffer block, int cols) {
        float[] out = new float[cols];
        WeightMatrices.of(type, TestBlocks.segment(block), 1, cols).dequantizeRow(0, out, 0);
        return out;
    }

    @Test
    void readsF32ValuesAsStored() {
        ByteBuffer b = TestBlocks.littleEndian(12).putFloat(1.5f).putFloat(-2.25f).putFloat(3e-7f);
        assertThat(dequantize(GgmlType.F32, b, 3)).containsExactly(1.5f, -2.25f, 3e-7f);
    }

    @Test
    void decodesF16IncludingSubnormalsAndLargest() {
        ByteBuffer b = TestBlocks.littleEndian(10)
                .putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x3555)
                .putShort((short) 0x7BFF).putShort((short) 0x0001);
        assertThat(dequantize(GgmlType.F16, b, 5))
                .containsExactly(1f, -2f, 0.333251953125f, 65504f, (float) Math.scalb(1.0, -24));
    }

    @Test
    void decodesBf16AsTheUpperHalfOfAFloat() {
        ByteBuffer b = TestBlocks.littleEndian(6).putShort((short) 0x3F80).putShort((short) 0xC040)
                .putShort((short) 0x4049);
        assertThat(dequantize(GgmlType.BF16, b, 3)).containsExactly(1f, -3f, 3.140625f);
    }

    @Test
    void dequantizesQ8_0AsQuantTimesScale() {
        ByteBuffer b = TestBlocks.littleEndian(34).putShort(HALF_HALF);
        for (int i = 0; i < 32; i++) {
            b.put((byte) (i == 0 ? -128 : i == 31 ? 127 : i - 16));
        }
        float[] out = dequantize(GgmlType.Q8_0, b, 32);
        assertThat(out[0]).isEqualTo(-64f);
        assertThat(out[31]).isEqualTo(63.5f);
        for (int i = 1; i < 31; i++) {
            assertThat(out[i]).as("element %d", i).isEqualTo((i - 16) * 0.5f);
        }
    }

    @Test
    void dequantizesQ4_0WithLowNibblesFirstAndOffsetEight() {
        ByteBuffer b = TestBlocks.littleEndian(18).putShort(HALF_QUARTER);
        for (int j = 0; j < 16; j++) {
            b.put((byte) (j | (15 - j) << 4));
        }
        float[] out = dequantize(GgmlType.Q4_0, b, 32);
        assertThat(out[0]).isEqualTo(-2f);
        assertThat(out[16]).isEqualTo(1.75f);
        for (int j = 0; j < 16; j++) {
            assertThat(out[j]).as("element %d", j).isEqualTo((j - 8) * 0.25f);
            assertThat(out[j + 16]).as("element %d", j + 16).isEqualTo((7 - j) * 0.25f);
        }
    }

    private static final short HALF_MINUS_ONE = (short) 0xBC00;
    private static final int FIFTH_BITS = 0xA5C3_0F81;

    private static int fifthBit(int e) {
        return (FIFTH_BITS >>> e) & 1;
    }

    private static byte[] q4_0StyleNibbles() {
        byte[] qs = new byte[16];
        for (int j = 0; j < 16; j++) {
            qs[j] = (byte) (j | (15 - j) << 4);
        }
        return qs;
    }

    /** Element e of the nibble pattern above: j for the low nibbles, 15 - j for the high ones. */
    private static int nibble(int e) {
        return e < 16 ? e : 15 - (e - 16);
    }

    @Test
    void dequantizesQ4_1AsQuantTimesScalePlusMin() {
        ByteBuffer b = TestBlocks.littleEndian(20).putShort(HALF_HALF).putShort(HALF_MINUS_ONE).put(q4_0StyleNibbles());
        float[] out = dequantize(GgmlType.Q4_1, b, 32);
        assertThat(out[0]).isEqualTo(-1f);
        assertThat(out[15]).isEqualTo(6.5f);
        for (int e = 0; e < 32; e++) {
            assertThat(out[e]).as("element %d", e).isEqualTo(nibble(e) * 0.5f - 1f);
        }
    }

    @Test
    void dequantizesQ5_0WithTheFifthBitOfElementEAtBitEOfQh() {
        ByteBuffer b = TestBlocks.littleEndian(22).putShort(HALF_QUARTER).putInt(FIFTH_BITS).put(q4_0StyleNibbles());
        float[] out = dequantize(GgmlType.Q5_0, b, 32);
        assertThat(out[0]).as("q = 0 | 16 (bit 0 set)").isEqualTo(0f);
        assertThat(out[1]).as("q = 1, bit 1 clear").isEqualTo(-3.75f);
        assertThat(out[31]).as("q = 0 | 16 (bit 31 set)").isEqualTo(0f);
        for (int e = 0; e < 32; e++) {
            assertThat(out[e]).as("element %d", e).isEqualTo((nibble(e) + 16 * fifthBit(e) - 16) * 0.25f);
        }
    }

    @Test
    void dequantizesQ5_1AsFiveBitQuantTimesScalePlusMin() {
        ByteBuffer b = TestBlocks.littleEndian(24).putShort(HALF_HALF).putShort(HALF_QUARTER).putInt(FIFTH_BITS)
                .put(q4_0StyleNibbles());
        float[] out = dequantize(GgmlType.Q5_1, b, 32);
        assertThat(out[0]).isEqualTo(8.25f);
        for (int e = 0; e < 32; e++) {
            assertThat(out[e]).as("element %d", e).isEqualTo((nibble(e) + 16 * fifthBit(e)) * 0.5f + 0.25f);
        }
    }

    // Sub-block scales and mins of the K-quant test blocks; those of sub-blocks 4..7 need the 6-bit packing's
    // high bits.
    private static final int[] SCALES = {1, 2, 3, 4, 17, 33, 50, 63};
    private static final int[] MINS = {0, 5, 10, 63, 16, 31, 47, 62};

    /** The 12-byte K-quant scale packing, written from its definition: 6-bit values, high 2 bits spread out. */
    private static void putPackedScales(ByteBuffer b) {
        for (int j = 0; j < 4; j++) {
            b.put((byte) (SCALES[j] | (SCALES[j + 4] >> 4) << 6));
        }
        for (int j = 0; j < 4; j++) {
            b.put((byte) (MINS[j] | (MINS[j + 4] >> 4) << 6));
        }
        for (int j = 0; j < 4; j++) {
            b.put((byte) ((SCALES[j + 4] & 0xF) | (MINS[j + 4] & 0xF) << 4));
        }
    }

    /** Element e of a K-quant block: chunk e/64, low nibbles for its first 32 values, high nibbles for the rest. */
    private static byte[] packNibbles(int[] q) {
        byte[] qs = new byte[128];
        for (int e = 0; e < 256; e++) {
            int chunk = e / 64;
            int p = e % 64;
            int at = 32 * chunk + p % 32;
            qs[at] |= (byte) (p < 32 ? (q[e] & 0xF) : (q[e] & 0xF) << 4);
        }
        return qs;
    }

    @Test
    void dequantizesQ4_KWithSixBitScalesAndMins() {
        int[] q = new int[256];
        for (int e = 0; e < 256; e++) {
            q[e] = e % 16;
        }
        ByteBuffer b = TestBlocks.littleEndian(144).putShort(HALF_HALF).putShort(HALF_QUARTER);
        putPackedScales(b);
        b.put(packNibbles(q));
        float[] out = dequantize(GgmlType.Q4_K, b, 256);
        assertThat(out[0]).isEqualTo(0f);
        assertThat(out[255]).isEqualTo(0.5f * 63 * 15 - 0.25f * 62);
        assertThat(out[255]).isEqualTo(457f);
        for (int e = 0; e < 256; e++) {
            int s = e / 32;
            assertThat(out[e]).as("element %d", e).isEqualTo(0.5f * SCALES[s] * q[e] - 0.25f * MINS[s]);
        }
    }

    @Test
    void dequantizesQ5_KWithTheFifthBitFromQh() {
        int[] q = new int[256];
        for (int e = 0; e < 256; e++) {
            q[e] = (e * 5) % 32;
        }
        byte[] qh = new byte[32];
        for (int e = 0; e < 256; e++) {
            if (q[e] >= 16) {
                qh[e % 32] |= (byte) (1 << (e / 32));
            }
        }
        ByteBuffer b = TestBlocks.littleEndian(176).putShort(HALF_HALF).putShort(HALF_QUARTER);
        putPackedScales(b);
        b.put(qh).put(packNibbles(q));
        float[] out = dequantize(GgmlType.Q5_K, b, 256);
        assertThat(out[7]).as("q = 35 %% 32 = 3 in sub-block 0").isEqualTo(0.5f * 1 * 3);
        assertThat(out[230]).as("q = 1150 %% 32 = 30 in sub-block 7").isEqualTo(0.5f * 63 * 30 - 0.25f * 62);
        for (int e = 0; e < 256; e++) {
            int s = e / 32;
            assertThat(out[e]).as("element %d", e).isEqualTo(0.5f * SCALES[s] * q[e] - 0.25f * MINS[s]);
        }
    }

    @Test
    void dequantizesQ6_KWithSignedScalesPerSixteenValues() {
        int[] q = new int[256];
        byte[] scales = new byte[16];
        for (int g = 0; g < 16; g++) {
            scales[g] = (byte) (g * 9 - 70);
        }
        byte[] ql = new byte[128];
        byte[] qh = new byte[64];
        for (int e = 0; e < 256; e++) {
            q[e] = (e * 7) % 64;
            // Half e/128; within it, group k of 32 uses ql[l] (k even) or ql[l+32] (k odd), low nibble for k < 2,
            // and bits 2k..2k+1 of qh[l].
            int half = e / 128;
            int k = (e % 128) / 32;
            int l = e % 32;
            int lowAt = 64 * half + l + (k % 2) * 32;
            ql[lowAt] |= (byte) (k < 2 ? (q[e] & 0xF) : (q[e] & 0xF) << 4);
            qh[32 * half + l] |= (byte) ((q[e] >> 4) << (2 * k));
        }
        ByteBuffer b = TestBlocks.littleEndian(210).put(ql).put(qh).put(scales).putShort(HALF_ONE_EIGHTH);
        float[] out = dequantize(GgmlType.Q6_K, b, 256);
        assertThat(out[0]).as("q = 0 with scale -70").isEqualTo(0.125f * -70 * -32);
        assertThat(out[255]).as("q = 1785 %% 64 = 57 with scale 65").isEqualTo(0.125f * 65 * 25);
        for (int e = 0; e < 256; e++) {
            assertThat(out[e]).as("element %d", e).isEqualTo(0.125f * scales[e / 16] * (q[e] - 32));
        }
    }

    @ParameterizedTest
    @EnumSource(GgmlType.class)
    void multiplyingByAUnitVectorPicksTheDequantizedColumnOfEveryRow(GgmlType type) {
        int rows = 5;
        int cols = 2 * Math.max(type.blockSize(), 32);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = TestBlocks.random(type, rows, cols, new Random(7), arena);
            WeightMatrix m = WeightMatrices.of(type, data, rows, cols);
            int column = cols - 3;
            float[] unit = new float[cols];
            unit[column] = 1f;
            float[] out = new float[rows];
            m.multiply(unit, out, 1, 0, rows);
            float[] row = new float[cols];
            for (int r = 0; r < rows; r++) {
                m.dequantizeRow(r, row, 0);
                assertThat(out[r]).as("row %d", r).isEqualTo(row[column]);
            }
        }
    }

    @Test
    void rejectsColumnsThatAreNotAWholeNumberOfBlocks() {
        MemorySegment data = MemorySegment.ofArray(new byte[4096]);
        assertThatThrownBy(() -> WeightMatrices.of(GgmlType.Q4_K, data, 2, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("multiple of the block size 256")
                .hasMessageContaining("2x100");
    }

    @Test
    void rejectsDataSmallerThanTheMatrix() {
        MemorySegment data = MemorySegment.ofArray(new byte[34 * 3]);
        assertThatThrownBy(() -> WeightMatrices.of(GgmlType.Q8_0, data, 2, 64))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs 136 bytes")
                .hasMessageContaining("only 102");
    }

    @Test
    void rejectsEmptyDimensions() {
        MemorySegment data = MemorySegment.ofArray(new byte[64]);
        assertThatThrownBy(() -> WeightMatrices.of(GgmlType.F32, data, 0, 4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("positive dimensions");
    }

    @Test
    void rejectsVectorsShorterThanTheBatch() {
        WeightMatrix m = WeightMatrices.of(GgmlType.F32, MemorySegment.ofArray(new byte[4 * 8]), 2, 4);
        assertThatThrownBy(() -> m.multiply(new float[7], new float[4], 2, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("input holds 7 floats but 2 vectors of 4");
        assertThatThrownBy(() -> m.multiply(new float[8], new float[3], 2, 0, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output holds 3 floats");
        assertThatThrownBy(() -> m.multiply(new float[8], new float[4], 1, 1, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void warmUpStopsAtItsTimeBudget() {
        long start = System.nanoTime();
        WeightMatrices.warmUp(java.util.EnumSet.allOf(GgmlType.class), 100);
        long millis = (System.nanoTime() - start) / 1_000_000;
        // One round may overrun the budget (at most seconds when nothing is compiled yet), never the 2000 rounds.
        assertThat(millis).isLessThan(10_000);
    }

    @Test
    void readsRowsBeyondTwoGigabytesOfAMappedFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        int cols = 4096;
        long rowBytes = GgmlType.Q8_0.bytesFor(cols);
        int rows = (int) ((3L << 30) / rowBytes);
        java.nio.file.Path file = dir.resolve("big.bin");
        ByteBuffer lastRow = TestBlocks.littleEndian((int) rowBytes);
        for (int b = 0; b < cols / 32; b++) {
            lastRow.putShort(HALF_QUARTER);
            for (int i = 0; i < 32; i++) {
                lastRow.put((byte) (i - 16));
            }
        }
        // A sparse file: only the last row takes disk space.
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(rows * rowBytes);
            raf.seek((rows - 1) * rowBytes);
            raf.write(lastRow.array());
        }
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file);
             Arena arena = Arena.ofShared()) {
            MemorySegment mapped = channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, channel.size(),
                    arena);
            WeightMatrix m = WeightMatrices.of(GgmlType.Q8_0, mapped, rows, cols);
            float[] row = new float[cols];
            m.dequantizeRow(rows - 1, row, 0);
            for (int i = 0; i < cols; i++) {
                assertThat(row[i]).as("element %d", i).isEqualTo((i % 32 - 16) * 0.25f);
            }
            float[] ones = new float[cols];
            java.util.Arrays.fill(ones, 1f);
            float[] out = new float[rows];
            m.multiply(ones, out, 1, rows - 2, rows);
            assertThat(out[rows - 2]).isEqualTo(0f);
            assertThat(out[rows - 1]).as("each block sums to -16 * 0.25 = -4").isEqualTo(-4f * cols / 32);
        }
    }
}
