package com.soportemax.inference.gguf;

import java.io.IOException;

/** A model file is truncated, corrupt or unsupported. The message names the key or tensor and the reason. */
public class ModelFormatException extends IOException {

    public ModelFormatException(String message) {
        super(message);
    }

    public ModelFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
