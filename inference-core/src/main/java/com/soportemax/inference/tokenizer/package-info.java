/**
 * Tokenizers built from GGUF {@code tokenizer.*} metadata, giving the same token ids as llama.cpp.
 *
 * <ul>
 * <li>{@link com.soportemax.inference.tokenizer.Tokenizer}: byte-level BPE ("gpt2") with the pre-tokenizers of
 * {@code tokenizer.ggml.pre} = default, gpt-2, llama-bpe, qwen2, qwen35, smollm (and their llama.cpp aliases),
 * SentencePiece BPE ("llama") with byte fallback, and WordPiece ("bert") for encoders. Customer text is always
 * tokenized as plain text.</li>
 * <li>{@link com.soportemax.inference.tokenizer.StreamingDecoder}: streamed text that never shows half a
 * character.</li>
 * </ul>
 */
package com.soportemax.inference.tokenizer;
