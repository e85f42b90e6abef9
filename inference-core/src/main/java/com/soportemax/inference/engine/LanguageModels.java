package com.soportemax.inference.engine;

import java.io.IOException;
import java.nio.file.Path;

/** Entry point: loads GGUF model files. */
public final class LanguageModels {

    private LanguageModels() {
    }

    /**
     * Memory-maps a GGUF file and prepares it for generation.
     *
     * @throws com.soportemax.inference.gguf.ModelFormatException when the file is truncated, corrupt or of an
     *                                                            unsupported architecture or tensor type
     * @throws IOException                                         when the file cannot be read
     */
    public static LanguageModel load(Path gguf, EngineOptions options) throws IOException {
        throw new UnsupportedOperationException("engine not implemented yet");
    }
}
