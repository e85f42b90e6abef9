package com.soportemax.inference.engine;

/** The prompt does not fit the context window; the caller must trim the conversation history. */
public final class ContextOverflowException extends GenerationException {

    private final int promptTokens;
    private final int contextLength;

    public ContextOverflowException(int promptTokens, int contextLength) {
        super("The prompt has " + promptTokens + " tokens but the model's context window holds " + contextLength
                + "; trim the conversation history or raise the context length.");
        this.promptTokens = promptTokens;
        this.contextLength = contextLength;
    }

    public int promptTokens() { return promptTokens; }

    public int contextLength() { return contextLength; }
}
