package com.soportemax.inference.engine;

/** A generation could not run or finish; the message says why and what to do. */
public class GenerationException extends RuntimeException {

    public GenerationException(String message) {
        super(message);
    }

    public GenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
