package com.soportemax.inference.engine;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.tensor.WeightMatrices;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * Opening a GGUF file as a model, the part language and embedding models share: the file is memory-mapped, its
 * metadata and weights are read and checked, then (and only then) the kernel threads start and the kernels are
 * compiled; on any failure what was opened is closed again, and a malformed file becomes a
 * {@link ModelFileException} naming it.
 */
final class ModelFiles {

    private static final long WARM_UP_MILLIS = 3000;

    /** A model read from an open file, not yet started. */
    interface Prepared<T> {
        /** The weight types whose kernels to compile before the first request. */
        Set<GgmlType> weightTypes();

        /** The model, running on {@code pool}; it owns the file and the pool from now on. */
        T start(KernelPool pool) throws ModelFormatException;
    }

    @FunctionalInterface
    interface Reader<T> {
        Prepared<T> read(GgufFile file) throws ModelFormatException, IOException;
    }

    private ModelFiles() {
    }

    static <T> T load(Path gguf, EngineOptions options, Reader<T> reader) throws IOException {
        Objects.requireNonNull(options, "options");
        GgufFile file;
        try {
            file = GgufFile.open(gguf);
        } catch (ModelFormatException e) {
            throw new ModelFileException(e.getMessage(), e);
        }
        KernelPool pool = null;
        try {
            Prepared<T> prepared = reader.read(file);
            pool = KernelPools.create(options.effectiveThreads());
            // compile the Vector API kernels now: cold, the first request would run them boxed, 100x slower
            WeightMatrices.warmUp(prepared.weightTypes(), WARM_UP_MILLIS);
            return prepared.start(pool);
        } catch (ModelFormatException e) {
            closeQuietly(file, pool);
            throw new ModelFileException(gguf.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(file, pool);
            throw e;
        }
    }

    private static void closeQuietly(GgufFile file, KernelPool pool) {
        if (pool != null) pool.close();
        file.close();
    }
}
