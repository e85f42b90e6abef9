package com.soportemax.inference.gguf;

import com.soportemax.inference.tensor.GgmlType;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes GGUF files (version 3 by default, little-endian): metadata, then tensor infos, then tensor data aligned to
 * {@code general.alignment}. Tensor data can be given as bytes or streamed, so multi-gigabyte models never sit on
 * the heap.
 *
 * <p>{@link #put(String, Object)} picks the GGUF type from the Java type the same way {@link GgufFile} reads it
 * back: {@code Integer} is written as u32 (what llama.cpp expects for counts, lengths and token ids; use
 * {@link #putInt32} for a signed value), {@code Long} u64, {@code Float} f32, {@code Double} f64, {@code Boolean}
 * bool, {@code String} string, {@code String[]} string array, {@code int[]} i32 array (llama.cpp's token types),
 * {@code long[]} i64, {@code float[]} f32, {@code double[]} f64, {@code boolean[]} bool arrays.
 */
public final class GgufWriter {

    /** Streams exactly the tensor's byte size to {@code out}. */
    @FunctionalInterface
    public interface TensorContent {
        void writeTo(OutputStream out) throws IOException;
    }

    private record Entry(GgufValueType type, GgufValueType elementType, Object value) {
    }

    private record PendingTensor(String name, GgmlType type, long[] shape, TensorContent content) {
        long byteSize() {
            long n = 1;
            for (long d : shape) n *= d;
            return type.bytesFor(n);
        }
    }

    private final Map<String, Entry> metadata = new LinkedHashMap<>();
    private final List<PendingTensor> tensors = new ArrayList<>();
    private int version = 3;

    /** Writes version 2 or 3 files (same layout for little-endian files). */
    public GgufWriter version(int version) {
        if (version != 2 && version != 3) throw new IllegalArgumentException("GGUF version must be 2 or 3");
        this.version = version;
        return this;
    }

    public GgufWriter put(String key, Object value) {
        Objects.requireNonNull(value, key);
        Entry e = switch (value) {
            case Integer i -> new Entry(GgufValueType.UINT32, null, i);
            case Long l -> new Entry(GgufValueType.UINT64, null, l);
            case Float f -> new Entry(GgufValueType.FLOAT32, null, f);
            case Double d -> new Entry(GgufValueType.FLOAT64, null, d);
            case Boolean b -> new Entry(GgufValueType.BOOL, null, b);
            case String s -> new Entry(GgufValueType.STRING, null, s);
            case String[] a -> new Entry(GgufValueType.ARRAY, GgufValueType.STRING, a.clone());
            case int[] a -> new Entry(GgufValueType.ARRAY, GgufValueType.INT32, a.clone());
            case long[] a -> new Entry(GgufValueType.ARRAY, GgufValueType.INT64, a.clone());
            case float[] a -> new Entry(GgufValueType.ARRAY, GgufValueType.FLOAT32, a.clone());
            case double[] a -> new Entry(GgufValueType.ARRAY, GgufValueType.FLOAT64, a.clone());
            case boolean[] a -> new Entry(GgufValueType.ARRAY, GgufValueType.BOOL, a.clone());
            default -> throw new IllegalArgumentException("key '" + key + "': unsupported metadata value type "
                    + value.getClass().getName());
        };
        metadata.put(key, e);
        return this;
    }

    /** Puts every entry of {@code values} with {@link #put(String, Object)}. */
    public GgufWriter putAll(Map<String, ?> values) {
        values.forEach(this::put);
        return this;
    }

    public GgufWriter putInt32(String key, int value) {
        metadata.put(key, new Entry(GgufValueType.INT32, null, value));
        return this;
    }

    public GgufWriter putUInt32(String key, int value) {
        metadata.put(key, new Entry(GgufValueType.UINT32, null, value));
        return this;
    }

    public GgufWriter putFloat32(String key, float value) {
        metadata.put(key, new Entry(GgufValueType.FLOAT32, null, value));
        return this;
    }

    public GgufWriter putString(String key, String value) {
        metadata.put(key, new Entry(GgufValueType.STRING, null, Objects.requireNonNull(value)));
        return this;
    }

    /** Writes a scalar integer with an explicit GGUF integer type (u8 ... i64). */
    public GgufWriter putInteger(String key, GgufValueType type, long value) {
        switch (type) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> metadata.put(key, new Entry(type, null, value));
            default -> throw new IllegalArgumentException(type + " is not an integer type");
        }
        return this;
    }

    public GgufWriter addTensor(String name, GgmlType type, long[] shape, byte[] data) {
        PendingTensor t = new PendingTensor(name, type, shape.clone(), out -> out.write(data));
        if (t.byteSize() != data.length) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.length + " bytes given, "
                    + t.byteSize() + " expected for " + type + " " + java.util.Arrays.toString(shape));
        }
        tensors.add(t);
        return this;
    }

    /** A tensor whose bytes are produced while the file is written. */
    public GgufWriter addTensor(String name, GgmlType type, long[] shape, TensorContent content) {
        if (shape.length == 0 || shape.length > 4) throw new IllegalArgumentException("1 to 4 dimensions");
        if (shape[0] % type.blockSize() != 0) {
            throw new IllegalArgumentException("tensor '" + name + "': " + shape[0] + " columns is not a multiple of "
                    + type + "'s block size " + type.blockSize());
        }
        tensors.add(new PendingTensor(name, type, shape.clone(), content));
        return this;
    }

    private int alignment() {
        Entry e = metadata.get("general.alignment");
        return e == null ? GgufFile.DEFAULT_ALIGNMENT : ((Number) e.value()).intValue();
    }

    public void write(Path path) throws IOException {
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(path), 1 << 20)) {
            write(os);
        }
    }

    public void write(OutputStream target) throws IOException {
        CountingOutput out = new CountingOutput(target);
        int alignment = alignment();
        out.u32(GgufFile.MAGIC);
        out.u32(version);
        out.u64(tensors.size());
        out.u64(metadata.size());
        for (Map.Entry<String, Entry> kv : metadata.entrySet()) {
            out.string(kv.getKey());
            Entry e = kv.getValue();
            out.u32(e.type().id());
            if (e.type() == GgufValueType.ARRAY) {
                writeArray(out, e.elementType(), e.value());
            } else {
                writeScalar(out, e.type(), e.value());
            }
        }
        long offset = 0;
        for (PendingTensor t : tensors) {
            out.string(t.name());
            out.u32(t.shape().length);
            for (long d : t.shape()) out.u64(d);
            out.u32(t.type().id());
            out.u64(offset);
            offset = GgufFile.alignUp(offset + t.byteSize(), alignment);
        }
        out.pad(alignment);
        for (PendingTensor t : tensors) {
            long start = out.count;
            t.content().writeTo(out);
            long written = out.count - start;
            if (written != t.byteSize()) {
                throw new IOException("tensor '" + t.name() + "': content wrote " + written + " bytes, expected "
                        + t.byteSize());
            }
            out.pad(alignment);
        }
        out.flush();
    }

    private static void writeScalar(CountingOutput out, GgufValueType type, Object v) throws IOException {
        switch (type) {
            case UINT8, INT8 -> out.write(((Number) v).intValue());
            case UINT16, INT16 -> out.u16(((Number) v).intValue());
            case UINT32, INT32 -> out.u32(((Number) v).intValue());
            case UINT64, INT64 -> out.u64(((Number) v).longValue());
            case FLOAT32 -> out.u32(Float.floatToRawIntBits((Float) v));
            case FLOAT64 -> out.u64(Double.doubleToRawLongBits((Double) v));
            case BOOL -> out.write((Boolean) v ? 1 : 0);
            case STRING -> out.string((String) v);
            case ARRAY -> throw new IllegalStateException();
        }
    }

    private static void writeArray(CountingOutput out, GgufValueType element, Object array) throws IOException {
        out.u32(element.id());
        switch (array) {
            case String[] a -> { out.u64(a.length); for (String s : a) out.string(s); }
            case int[] a -> { out.u64(a.length); for (int x : a) out.u32(x); }
            case long[] a -> { out.u64(a.length); for (long x : a) out.u64(x); }
            case float[] a -> { out.u64(a.length); for (float x : a) out.u32(Float.floatToRawIntBits(x)); }
            case double[] a -> { out.u64(a.length); for (double x : a) out.u64(Double.doubleToRawLongBits(x)); }
            case boolean[] a -> { out.u64(a.length); for (boolean x : a) out.write(x ? 1 : 0); }
            default -> throw new IllegalStateException();
        }
    }

    private static final class CountingOutput extends OutputStream {
        private final OutputStream out;
        long count;

        CountingOutput(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        void u16(int v) throws IOException {
            write(v & 0xFF);
            write((v >>> 8) & 0xFF);
        }

        void u32(int v) throws IOException {
            byte[] b = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
            write(b, 0, 4);
        }

        void u64(long v) throws IOException {
            u32((int) v);
            u32((int) (v >>> 32));
        }

        void string(String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            write(b, 0, b.length);
        }

        void pad(int alignment) throws IOException {
            long target = GgufFile.alignUp(count, alignment);
            while (count < target) write(0);
        }
    }
}
