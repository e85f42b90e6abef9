package com.soportemax.inference.gguf;

import com.soportemax.inference.tensor.GgmlType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A GGUF (version 2 or 3, little-endian) model file, memory-mapped. Tensor data stays in the mapping; nothing is
 * copied onto the heap. Metadata values follow one convention: 8/16/32-bit integers are {@link Integer}, 64-bit
 * integers {@link Long}, f32 {@link Float}, f64 {@link Double}, bool {@link Boolean}, string {@link String};
 * arrays are {@code String[]}, {@code int[]} (integers of up to 32 bits), {@code long[]}, {@code float[]},
 * {@code double[]}, {@code boolean[]}. Unsigned 32-bit values above {@code Integer.MAX_VALUE} wrap to negative.
 *
 * <p>Every malformed input gives a {@link ModelFormatException} that names the key or tensor and the reason.
 * Closing the file unmaps it: tensor segments must not be used afterwards.
 */
public final class GgufFile implements AutoCloseable {

    static final int MAGIC = 0x46554747; // "GGUF" read as a little-endian u32
    static final int DEFAULT_ALIGNMENT = 32;
    // ggml limits a tensor to 4 dimensions
    private static final int MAX_DIMS = 4;

    private final Arena arena;
    private final MemorySegment file;
    private final int version;
    private final Map<String, Object> metadata;
    private final Map<String, GgufValueType> metadataTypes;
    private final Map<String, GgufTensor> tensors;
    private final int alignment;
    private final long dataOffset;

    private GgufFile(Arena arena, MemorySegment file, int version, Map<String, Object> metadata,
                     Map<String, GgufValueType> metadataTypes, Map<String, GgufTensor> tensors, int alignment,
                     long dataOffset) {
        this.arena = arena;
        this.file = file;
        this.version = version;
        this.metadata = metadata;
        this.metadataTypes = metadataTypes;
        this.tensors = tensors;
        this.alignment = alignment;
        this.dataOffset = dataOffset;
    }

    /** Maps and parses {@code path}. The mapping lives until {@link #close()}. */
    public static GgufFile open(Path path) throws IOException {
        Arena arena = Arena.ofShared();
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            MemorySegment segment = size == 0 ? MemorySegment.ofArray(new byte[0])
                    : nativeView(channel.map(FileChannel.MapMode.READ_ONLY, 0, size, arena), arena);
            return parse(segment, arena, path.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    /**
     * The mapping as a plain native segment of the same arena. Measured on the decode kernels: reading weights
     * through the mapped-file segment class ran at about 60% of the speed of the same bytes seen as a native segment
     * (the kernels are compiled and warmed up on native segments). Needs native access
     * ({@code --enable-native-access=ALL-UNNAMED}, set in the jar manifest); without it the mapping is used as is.
     */
    private static MemorySegment nativeView(MemorySegment mapped, Arena arena) {
        if (!GgufFile.class.getModule().isNativeAccessEnabled()) return mapped;
        return MemorySegment.ofAddress(mapped.address()).reinterpret(mapped.byteSize(), arena, null).asReadOnly();
    }

    /** Parses GGUF bytes already in memory (tests, embedded resources). The caller owns {@code segment}. */
    public static GgufFile read(MemorySegment segment) throws ModelFormatException {
        return parse(segment, null, "in-memory GGUF");
    }

    private static GgufFile parse(MemorySegment segment, Arena arena, String source) throws ModelFormatException {
        Cursor in = new Cursor(segment, source);
        int magic = in.u32("magic");
        if (magic != MAGIC) {
            throw new ModelFormatException(source + ": not a GGUF file (magic 0x" + Integer.toHexString(magic)
                    + ", expected 0x" + Integer.toHexString(MAGIC) + " 'GGUF')");
        }
        int version = in.u32("version");
        if (version != 2 && version != 3) {
            throw new ModelFormatException(source + ": unsupported GGUF version " + Integer.toUnsignedString(version)
                    + " (only versions 2 and 3 are supported)");
        }
        long tensorCount = in.u64("tensor count");
        long kvCount = in.u64("metadata key count");
        // each tensor info takes at least 24 bytes, each key/value at least 13: reject counts the file cannot hold
        if (tensorCount < 0 || tensorCount > in.remaining() / 24) {
            throw new ModelFormatException(source + ": absurd tensor count " + Long.toUnsignedString(tensorCount)
                    + " for a file of " + segment.byteSize() + " bytes: the file is truncated or corrupt");
        }
        if (kvCount < 0 || kvCount > in.remaining() / 13) {
            throw new ModelFormatException(source + ": absurd metadata key count " + Long.toUnsignedString(kvCount)
                    + " for a file of " + segment.byteSize() + " bytes: the file is truncated or corrupt");
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        Map<String, GgufValueType> types = new HashMap<>();
        for (long i = 0; i < kvCount; i++) {
            String key = in.string("metadata key #" + i);
            int typeId = in.u32("type of key '" + key + "'");
            GgufValueType type = GgufValueType.byId(typeId);
            if (type == null) {
                throw new ModelFormatException(source + ": key '" + key + "' has unknown value type " + typeId);
            }
            if (metadata.containsKey(key)) {
                throw new ModelFormatException(source + ": key '" + key + "' appears twice");
            }
            metadata.put(key, in.value(type, "key '" + key + "'"));
            types.put(key, type);
        }
        int alignment = DEFAULT_ALIGNMENT;
        Object alignValue = metadata.get("general.alignment");
        if (alignValue != null) {
            if (!(alignValue instanceof Integer a) || a <= 0 || Integer.bitCount(a) != 1) {
                throw new ModelFormatException(source + ": key 'general.alignment' must be a power of two, was "
                        + alignValue);
            }
            alignment = a;
        }
        List<GgufTensor> infos = new ArrayList<>();
        long[] relative = new long[(int) tensorCount];
        for (int i = 0; i < tensorCount; i++) {
            String name = in.string("name of tensor #" + i);
            int dims = in.u32("dimension count of tensor '" + name + "'");
            if (dims < 1 || dims > MAX_DIMS) {
                throw new ModelFormatException(source + ": tensor '" + name + "' has " + Integer.toUnsignedString(dims)
                        + " dimensions (1 to " + MAX_DIMS + " allowed)");
            }
            long[] shape = new long[dims];
            long elements = 1;
            for (int d = 0; d < dims; d++) {
                shape[d] = in.u64("dimension " + d + " of tensor '" + name + "'");
                if (shape[d] <= 0 || elements > Long.MAX_VALUE / 256 / shape[d]) {
                    throw new ModelFormatException(source + ": tensor '" + name + "' has absurd dimension "
                            + Long.toUnsignedString(shape[d]));
                }
                elements *= shape[d];
            }
            int typeId = in.u32("type of tensor '" + name + "'");
            GgmlType type = GgmlType.byId(typeId).orElseThrow(() -> new ModelFormatException(source + ": tensor '"
                    + name + "' has unsupported tensor type " + typeId
                    + " (supported: " + java.util.Arrays.toString(GgmlType.values()) + ")"));
            if (shape[0] % type.blockSize() != 0) {
                throw new ModelFormatException(source + ": tensor '" + name + "' of type " + type + " has "
                        + shape[0] + " columns, not a multiple of the block size " + type.blockSize());
            }
            relative[i] = in.u64("data offset of tensor '" + name + "'");
            infos.add(new GgufTensor(name, type, shape, 0));
        }
        long dataOffset = alignUp(in.position(), alignment);
        Map<String, GgufTensor> tensors = new LinkedHashMap<>();
        for (int i = 0; i < infos.size(); i++) {
            GgufTensor info = infos.get(i);
            long rel = relative[i];
            if (rel < 0 || rel % alignment != 0) {
                throw new ModelFormatException(source + ": tensor '" + info.name() + "' data offset "
                        + Long.toUnsignedString(rel) + " is not aligned to " + alignment);
            }
            long start = dataOffset + rel;
            long size = info.byteSize();
            if (start < 0 || start > segment.byteSize() || size > segment.byteSize() - start) {
                throw new ModelFormatException(source + ": tensor '" + info.name() + "' (" + size
                        + " bytes at offset " + start + ") extends beyond the end of the file ("
                        + segment.byteSize() + " bytes): the file is truncated or corrupt");
            }
            GgufTensor tensor = new GgufTensor(info.name(), info.type(), info.shape(), start);
            if (tensors.put(tensor.name(), tensor) != null) {
                throw new ModelFormatException(source + ": tensor '" + info.name() + "' appears twice");
            }
        }
        return new GgufFile(arena, segment, version, Collections.unmodifiableMap(metadata), types,
                Collections.unmodifiableMap(tensors), alignment, dataOffset);
    }

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    public int version() { return version; }

    public int alignment() { return alignment; }

    /** Where tensor data begins (offset of the first tensor with relative offset 0). */
    public long dataOffset() { return dataOffset; }

    /** All metadata, in file order; values follow the convention in the class comment. */
    public Map<String, Object> metadata() { return metadata; }

    /** The stored type of a metadata value (e.g. to tell u32 from i32), or null when the key is absent. */
    public GgufValueType metadataType(String key) { return metadataTypes.get(key); }

    /** Tensors by name, in file order. */
    public Map<String, GgufTensor> tensors() { return tensors; }

    public Optional<GgufTensor> tensor(String name) { return Optional.ofNullable(tensors.get(name)); }

    public GgufTensor requireTensor(String name) throws ModelFormatException {
        GgufTensor t = tensors.get(name);
        if (t == null) throw new ModelFormatException("missing tensor '" + name + "'");
        return t;
    }

    /** The tensor's bytes inside the mapping (no copy). */
    public MemorySegment data(GgufTensor tensor) {
        return file.asSlice(tensor.fileOffset(), tensor.byteSize());
    }

    public long fileSize() { return file.byteSize(); }

    /**
     * The arena of this file's mapping (memory allocated in it is freed by {@link #close()}), or empty for GGUF read
     * from memory (or an empty file): then tensor data is not a file mapping.
     */
    public Optional<Arena> mappingArena() {
        return arena != null && file.isNative() ? Optional.of(arena) : Optional.empty();
    }

    // ---- typed metadata access; each names the key when it is missing or of the wrong type

    public String requireString(String key) throws ModelFormatException {
        return require(key, String.class, "a string");
    }

    public Optional<String> string(String key) throws ModelFormatException {
        return Optional.ofNullable(optional(key, String.class, "a string"));
    }

    public int requireInt(String key) throws ModelFormatException {
        Object v = metadata.get(key);
        if (v == null) throw new ModelFormatException("missing metadata key '" + key + "'");
        return toInt(key, v);
    }

    public int intOr(String key, int fallback) throws ModelFormatException {
        Object v = metadata.get(key);
        return v == null ? fallback : toInt(key, v);
    }

    public float requireFloat(String key) throws ModelFormatException {
        Object v = metadata.get(key);
        if (v == null) throw new ModelFormatException("missing metadata key '" + key + "'");
        return toFloat(key, v);
    }

    public float floatOr(String key, float fallback) throws ModelFormatException {
        Object v = metadata.get(key);
        return v == null ? fallback : toFloat(key, v);
    }

    public boolean boolOr(String key, boolean fallback) throws ModelFormatException {
        Boolean v = optional(key, Boolean.class, "a bool");
        return v == null ? fallback : v;
    }

    private static int toInt(String key, Object v) throws ModelFormatException {
        if (v instanceof Integer i) return i;
        if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) return (int) (long) l;
        throw new ModelFormatException("metadata key '" + key + "' must be an integer, was " + describe(v));
    }

    private static float toFloat(String key, Object v) throws ModelFormatException {
        if (v instanceof Float f) return f;
        if (v instanceof Double d) return (float) (double) d;
        if (v instanceof Integer i) return i;
        throw new ModelFormatException("metadata key '" + key + "' must be a number, was " + describe(v));
    }

    private <T> T require(String key, Class<T> type, String what) throws ModelFormatException {
        T v = optional(key, type, what);
        if (v == null) throw new ModelFormatException("missing metadata key '" + key + "'");
        return v;
    }

    private <T> T optional(String key, Class<T> type, String what) throws ModelFormatException {
        Object v = metadata.get(key);
        if (v == null) return null;
        if (!type.isInstance(v)) {
            throw new ModelFormatException("metadata key '" + key + "' must be " + what + ", was " + describe(v));
        }
        return type.cast(v);
    }

    private static String describe(Object v) {
        return v.getClass().isArray() ? "an array" : v.getClass().getSimpleName() + " " + v;
    }

    /** Unmaps the file (when this object mapped it). */
    @Override
    public void close() {
        if (arena != null) arena.close();
    }

    /** Bounds-checked little-endian reads; a read past the end is a truncated file, reported with what was read. */
    private static final class Cursor {
        private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfFloat F32 = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
        private static final ValueLayout.OfDouble F64 = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

        private final MemorySegment seg;
        private final String source;
        private long pos;

        Cursor(MemorySegment seg, String source) {
            this.seg = seg;
            this.source = source;
        }

        long position() { return pos; }

        long remaining() { return seg.byteSize() - pos; }

        private void need(long bytes, String what) throws ModelFormatException {
            if (bytes < 0 || bytes > remaining()) {
                throw new ModelFormatException(source + ": file truncated while reading " + what + " at offset " + pos
                        + " (needs " + (bytes < 0 ? Long.toUnsignedString(bytes) : bytes) + " bytes, "
                        + remaining() + " left)");
            }
        }

        int u8(String what) throws ModelFormatException {
            need(1, what);
            return seg.get(ValueLayout.JAVA_BYTE, pos++) & 0xFF;
        }

        int u16(String what) throws ModelFormatException {
            need(2, what);
            int v = seg.get(U16, pos) & 0xFFFF;
            pos += 2;
            return v;
        }

        int u32(String what) throws ModelFormatException {
            need(4, what);
            int v = seg.get(U32, pos);
            pos += 4;
            return v;
        }

        long u64(String what) throws ModelFormatException {
            need(8, what);
            long v = seg.get(U64, pos);
            pos += 8;
            return v;
        }

        String string(String what) throws ModelFormatException {
            long len = u64("length of " + what);
            need(len, what);
            byte[] bytes = seg.asSlice(pos, len).toArray(ValueLayout.JAVA_BYTE);
            pos += len;
            // GGUF strings are UTF-8; an invalid sequence becomes U+FFFD rather than failing the whole file
            return new String(bytes, StandardCharsets.UTF_8);
        }

        Object value(GgufValueType type, String what) throws ModelFormatException {
            return switch (type) {
                case UINT8 -> u8(what);
                case INT8 -> (int) (byte) u8(what);
                case UINT16 -> u16(what);
                case INT16 -> (int) (short) u16(what);
                case UINT32, INT32 -> u32(what);
                case FLOAT32 -> { need(4, what); float f = seg.get(F32, pos); pos += 4; yield f; }
                case FLOAT64 -> { need(8, what); double d = seg.get(F64, pos); pos += 8; yield d; }
                case BOOL -> bool(what);
                case STRING -> string(what);
                case UINT64, INT64 -> u64(what);
                case ARRAY -> array(what);
            };
        }

        private boolean bool(String what) throws ModelFormatException {
            int b = u8(what);
            if (b > 1) throw new ModelFormatException(source + ": " + what + " is a bool with invalid value " + b);
            return b == 1;
        }

        private Object array(String what) throws ModelFormatException {
            int typeId = u32("element type of " + what);
            GgufValueType type = GgufValueType.byId(typeId);
            if (type == null) {
                throw new ModelFormatException(source + ": " + what + " is an array of unknown type " + typeId);
            }
            if (type == GgufValueType.ARRAY) {
                throw new ModelFormatException(source + ": " + what + " is an array of arrays, which is not supported");
            }
            long count = u64("element count of " + what);
            if (count < 0 || count > remaining() / type.minBytes() || count > Integer.MAX_VALUE - 8) {
                throw new ModelFormatException(source + ": " + what + " claims " + Long.toUnsignedString(count)
                        + " elements of type " + type + ", more than the " + remaining()
                        + " bytes left in the file hold: the file is truncated or corrupt");
            }
            int n = (int) count;
            switch (type) {
                case STRING -> {
                    String[] a = new String[n];
                    for (int i = 0; i < n; i++) a[i] = string("element " + i + " of " + what);
                    return a;
                }
                case UINT8, INT8, UINT16, INT16, UINT32, INT32 -> {
                    int[] a = new int[n];
                    for (int i = 0; i < n; i++) a[i] = (Integer) value(type, what);
                    return a;
                }
                case UINT64, INT64 -> {
                    long[] a = new long[n];
                    for (int i = 0; i < n; i++) a[i] = u64(what);
                    return a;
                }
                case FLOAT32 -> {
                    need(4L * n, what);
                    float[] a = seg.asSlice(pos, 4L * n).toArray(F32);
                    pos += 4L * n;
                    return a;
                }
                case FLOAT64 -> {
                    need(8L * n, what);
                    double[] a = seg.asSlice(pos, 8L * n).toArray(F64);
                    pos += 8L * n;
                    return a;
                }
                case BOOL -> {
                    boolean[] a = new boolean[n];
                    for (int i = 0; i < n; i++) a[i] = bool(what);
                    return a;
                }
                default -> throw new IllegalStateException();
            }
        }
    }
}
