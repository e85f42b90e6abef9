package com.soportemax.inference.gguf;

import com.soportemax.inference.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class GgufFileTests {

    @TempDir
    Path dir;

    private static GgufWriter sample() {
        byte[] weights = new byte[4 * 64 * 2];
        for (int i = 0; i < weights.length; i++) weights[i] = (byte) i;
        return new GgufWriter()
                .putString("general.architecture", "llama")
                .put("llama.context_length", 2048)
                .putInt32("signed", -5)
                .putInteger("small", GgufValueType.UINT8, 200)
                .putInteger("tiny.signed", GgufValueType.INT8, -3)
                .put("big", 1L << 40)
                .put("eps", 1e-5f)
                .put("precise", 0.125)
                .put("flag", true)
                .put("tokenizer.ggml.tokens", new String[]{"a", "ñ", "¿", "😀"})
                .put("tokenizer.ggml.token_type", new int[]{1, 1, 3, -1})
                .put("scores", new float[]{0.5f, -1f})
                .put("longs", new long[]{1L << 33})
                .put("doubles", new double[]{2.5})
                .put("bools", new boolean[]{true, false})
                .addTensor("w", GgmlType.F32, new long[]{64, 2}, weights)
                .addTensor("v", GgmlType.F32, new long[]{3}, new byte[12]);
    }

    private static byte[] bytes(GgufWriter w) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        w.write(out);
        return out.toByteArray();
    }

    private static GgufFile parse(byte[] b) throws ModelFormatException {
        return GgufFile.read(MemorySegment.ofArray(b));
    }

    @Test
    void readsBackEverythingTheWriterWrote() throws IOException {
        Path file = dir.resolve("m.gguf");
        sample().write(file);
        try (GgufFile g = GgufFile.open(file)) {
            assertThat(g.version()).isEqualTo(3);
            assertThat(g.metadata().get("general.architecture")).isEqualTo("llama");
            assertThat(g.metadata().get("llama.context_length")).isEqualTo(2048);
            assertThat(g.metadataType("llama.context_length")).isEqualTo(GgufValueType.UINT32);
            assertThat(g.metadata().get("signed")).isEqualTo(-5);
            assertThat(g.metadata().get("small")).isEqualTo(200);
            assertThat(g.metadata().get("tiny.signed")).isEqualTo(-3);
            assertThat(g.metadata().get("big")).isEqualTo(1L << 40);
            assertThat(g.metadata().get("eps")).isEqualTo(1e-5f);
            assertThat(g.metadata().get("precise")).isEqualTo(0.125);
            assertThat(g.metadata().get("flag")).isEqualTo(true);
            assertThat((String[]) g.metadata().get("tokenizer.ggml.tokens")).containsExactly("a", "ñ", "¿", "😀");
            assertThat((int[]) g.metadata().get("tokenizer.ggml.token_type")).containsExactly(1, 1, 3, -1);
            assertThat((float[]) g.metadata().get("scores")).containsExactly(0.5f, -1f);
            assertThat((long[]) g.metadata().get("longs")).containsExactly(1L << 33);
            assertThat((double[]) g.metadata().get("doubles")).containsExactly(2.5);
            assertThat((boolean[]) g.metadata().get("bools")).containsExactly(true, false);

            GgufTensor w = g.requireTensor("w");
            assertThat(w.type()).isEqualTo(GgmlType.F32);
            assertThat(w.shape()).containsExactly(64, 2);
            assertThat(w.rows()).isEqualTo(2);
            assertThat(w.cols()).isEqualTo(64);
            assertThat(w.fileOffset() % 32).isZero();
            assertThat(g.data(w).get(ValueLayout.JAVA_BYTE, 5)).isEqualTo((byte) 5);
            assertThat(g.data(w).byteSize()).isEqualTo(512);
            GgufTensor v = g.requireTensor("v");
            assertThat(v.fileOffset() % 32).isZero();
            assertThat(v.fileOffset()).isGreaterThanOrEqualTo(w.fileOffset() + 512);
            assertThat(g.requireInt("llama.context_length")).isEqualTo(2048);
            assertThat(g.requireFloat("eps")).isEqualTo(1e-5f);
        }
    }

    @Test
    void readsVersionTwoFilesAndCustomAlignment() throws IOException {
        byte[] b = bytes(sample().version(2).put("general.alignment", 64));
        try (GgufFile g = parse(b)) {
            assertThat(g.version()).isEqualTo(2);
            assertThat(g.alignment()).isEqualTo(64);
            assertThat(g.requireTensor("v").fileOffset() % 64).isZero();
        }
    }

    @Test
    void everyTruncationIsAClearFormatError() throws IOException {
        byte[] b = bytes(sample());
        long end;
        try (GgufFile whole = parse(b)) {
            GgufTensor last = whole.requireTensor("v");
            end = last.fileOffset() + last.byteSize(); // only the trailing alignment padding may go missing
        }
        for (int len = 0; len < end; len++) {
            byte[] cut = Arrays.copyOf(b, len);
            try {
                parse(cut).close();
                fail("a file cut to " + len + " of " + b.length + " bytes was accepted");
            } catch (ModelFormatException e) {
                assertThat(e.getMessage()).containsAnyOf("truncated", "beyond the end");
            }
        }
    }

    @Test
    void rejectsWrongMagic() throws IOException {
        byte[] b = bytes(sample());
        b[0] = 'X';
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class).hasMessageContaining("not a GGUF file");
    }

    @Test
    void rejectsUnsupportedVersion() throws IOException {
        byte[] b = bytes(sample());
        b[4] = 1;
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("unsupported GGUF version 1");
        b[4] = 4;
        assertThatThrownBy(() -> parse(b)).hasMessageContaining("unsupported GGUF version 4");
    }

    @Test
    void rejectsAbsurdCounts() throws IOException {
        byte[] b = bytes(sample());
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        buf.putLong(8, Long.MAX_VALUE / 3);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class).hasMessageContaining("absurd tensor count");
        buf.putLong(8, 2);
        buf.putLong(16, -1L);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class).hasMessageContaining("absurd metadata key count");
    }

    @Test
    void rejectsAbsurdStringAndArrayLengthsNamingTheKey() throws IOException {
        byte[] b = bytes(new GgufWriter().put("tokenizer.ggml.tokens", new String[]{"a", "b"}));
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        // header 24 + key (8 + 21) + type 4 + element type 4 = offset of the element count
        int countAt = 24 + 8 + "tokenizer.ggml.tokens".length() + 4 + 4;
        buf.putLong(countAt, 1L << 60);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("tokenizer.ggml.tokens").hasMessageContaining("elements");
        buf.putLong(countAt, 2);
        buf.putLong(countAt + 8, 1L << 50);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("element 0 of key 'tokenizer.ggml.tokens'").hasMessageContaining("truncated");
    }

    @Test
    void rejectsAbsurdTensorSizesNamingTheTensor() throws IOException {
        byte[] b = bytes(new GgufWriter().addTensor("blk.0.attn_q.weight", GgmlType.F32, new long[]{32, 2}, new byte[256]));
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int dimsAt = 24 + 8 + "blk.0.attn_q.weight".length() + 4;
        buf.putLong(dimsAt + 8, 1L << 40);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("blk.0.attn_q.weight").hasMessageContaining("beyond the end of the file");
        buf.putLong(dimsAt + 8, 1L << 62);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("blk.0.attn_q.weight").hasMessageContaining("absurd dimension");
        buf.putLong(dimsAt + 8, 0);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("blk.0.attn_q.weight");
        buf.putLong(dimsAt + 8, 2);
        buf.putInt(dimsAt - 4, 7);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("blk.0.attn_q.weight").hasMessageContaining("7 dimensions");
    }

    @Test
    void rejectsUnknownTensorTypeNamingTheTensor() throws IOException {
        byte[] b = bytes(new GgufWriter().addTensor("token_embd.weight", GgmlType.F32, new long[]{32, 2}, new byte[256]));
        int typeAt = 24 + 8 + "token_embd.weight".length() + 4 + 16;
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(typeAt, 16); // IQ2_XXS: not supported
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("token_embd.weight").hasMessageContaining("unsupported tensor type 16");
    }

    @Test
    void rejectsMisalignedTensorData() throws IOException {
        byte[] b = bytes(new GgufWriter().addTensor("x", GgmlType.F32, new long[]{32}, new byte[128]));
        int offsetAt = 24 + 8 + 1 + 4 + 8 + 4;
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(offsetAt, 3);
        assertThatThrownBy(() -> parse(b)).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'x'").hasMessageContaining("aligned");
    }

    @Test
    void typedAccessNamesMissingAndMistypedKeys() throws IOException {
        try (GgufFile g = parse(bytes(sample()))) {
            assertThatThrownBy(() -> g.requireInt("llama.block_count")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("missing metadata key 'llama.block_count'");
            assertThatThrownBy(() -> g.requireInt("general.architecture")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("'general.architecture' must be an integer");
            assertThatThrownBy(() -> g.requireTensor("output.weight")).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("missing tensor 'output.weight'");
        }
    }

    @Test
    void mapsFilesLargerThanTwoGigabytes() throws IOException {
        long cols = 1024, rows = 600_000; // 2.46 GB of F32
        Path file = dir.resolve("big.gguf");
        // write the header only, then extend the file sparsely to its full size
        byte[] header = headerOnly(new GgufWriter().addTensor("huge", GgmlType.F32, new long[]{cols, rows}, out -> { }));
        Files.write(file, header);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(header.length + cols * rows * 4);
            raf.seek(raf.length() - 4);
            raf.write(new byte[]{0, 0, (byte) 0x80, 0x3f}); // 1.0f, little-endian
        }
        try (GgufFile g = GgufFile.open(file)) {
            GgufTensor t = g.requireTensor("huge");
            MemorySegment data = g.data(t);
            assertThat(data.byteSize()).isGreaterThan(Integer.MAX_VALUE);
            assertThat(data.get(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), data.byteSize() - 4))
                    .isEqualTo(1.0f);
        }
    }

    /** The bytes up to the tensor data of a writer whose content fails (header only). */
    private static byte[] headerOnly(GgufWriter w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            w.write(out);
        } catch (IOException expected) {
            // content size mismatch after the header was written
        }
        return out.toByteArray();
    }
}
