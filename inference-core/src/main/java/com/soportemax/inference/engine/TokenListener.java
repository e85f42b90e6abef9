package com.soportemax.inference.engine;

/**
 * Receives tokens as they are generated, in order, one call at a time per generation, on a thread of the engine's
 * (not the batch's: a slow listener delays only its own generation).
 */
@FunctionalInterface
public interface TokenListener {

    TokenListener NONE = token -> { };

    void onToken(GeneratedToken token);
}
