package com.soportemax.inference.engine;

import com.soportemax.inference.chat.ChatTemplate;
import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.tensor.WeightMatrices;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** Entry point: loads GGUF model files. */
public final class LanguageModels {

    private static final long WARM_UP_MILLIS = 3000;

    private LanguageModels() {
    }

    /**
     * Memory-maps a GGUF file and prepares it for generation.
     *
     * @throws ModelFileException when the file is truncated, corrupt or of an unsupported architecture or tensor type
     * @throws IOException        when the file cannot be read
     */
    public static LanguageModel load(Path gguf, EngineOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        GgufFile file;
        try {
            file = GgufFile.open(gguf);
        } catch (ModelFormatException e) {
            throw new ModelFileException(e.getMessage(), e);
        }
        KernelPool pool = null;
        try {
            Transformer model = Transformer.load(file);
            Tokenizer tokenizer = Tokenizer.fromMetadata(file.metadata());
            ChatTemplate template = ChatTemplate.fromMetadata(file.metadata(), tokenizer);
            String name = file.string("general.name").orElse(gguf.getFileName().toString());
            pool = KernelPools.create(options.effectiveThreads());
            // compile the Vector API kernels now: cold, the first request would run them boxed, 100x slower
            WeightMatrices.warmUp(model.weightTypes(), WARM_UP_MILLIS);
            return new LocalLanguageModel(file, model, tokenizer, template, pool, options, name);
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
