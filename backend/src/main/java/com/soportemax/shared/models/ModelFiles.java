package com.soportemax.shared.models;

import com.soportemax.inference.engine.ModelFileException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on a model file before the engine is asked to load it, so a wrong file gets a plain message. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * GGUF: every file starts with the ASCII magic "GGUF".
     *
     * @throws IOException        when there is no file at {@code file}
     * @throws ModelFileException when the file is truncated or not a GGUF model
     */
    public static void checkIsGguf(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no file at " + file.toAbsolutePath());
        }
        byte[] magic = new byte[4];
        int read;
        try (InputStream in = Files.newInputStream(file)) {
            read = in.readNBytes(magic, 0, 4);
        }
        if (read < 4 || !"GGUF".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
            throw new ModelFileException(file.toAbsolutePath() + " does not start with the GGUF magic; "
                    + "it is truncated or not a GGUF model");
        }
    }
}
