package com.soportemax.inference.engine;

import java.io.IOException;

/**
 * A model file cannot be used: it is truncated, corrupt, not GGUF, or of an architecture or tensor type the engine
 * does not run. The message names the file and the key or tensor at fault.
 */
public class ModelFileException extends IOException {

    public ModelFileException(String message) {
        super(message);
    }

    public ModelFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
