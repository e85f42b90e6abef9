package com.soportemax.inference.engine;

/** Why a generation ended. */
public enum StopReason {
    /** The model produced an end-of-generation token (EOS, EOT, im_end...). */
    END_OF_GENERATION,
    /** A stop string appeared. */
    STOP_STRING,
    /** maxTokens was reached. */
    MAX_TOKENS,
    /** The context window is full. */
    CONTEXT_FULL,
    /** The caller cancelled. */
    CANCELLED
}
