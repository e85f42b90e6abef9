package com.soportemax.inference.engine;

/** Receives tokens as they are generated, on the generating thread. Must be quick and must not block. */
@FunctionalInterface
public interface TokenListener {

    TokenListener NONE = token -> { };

    void onToken(GeneratedToken token);
}
