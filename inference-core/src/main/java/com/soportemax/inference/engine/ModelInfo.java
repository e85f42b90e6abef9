package com.soportemax.inference.engine;

/**
 * What a loaded model is.
 *
 * @param quantization   the dominant weight type, e.g. "Q8_0" or "Q4_K"
 * @param templateFamily the chat template recognised from the metadata, e.g. "chatml", "llama3"
 */
public record ModelInfo(String name, String architecture, long parameterCount, int contextLength,
                        String quantization, int vocabularySize, String templateFamily) {
}
