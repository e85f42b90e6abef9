/**
 * Chat prompts in the format of the model's own {@code tokenizer.chat_template} (Qwen2.5, Llama 3.x, SmolLM2, ChatML),
 * recognised by family rather than run through a Jinja engine, so inference-core keeps zero runtime dependencies.
 */
package com.soportemax.inference.chat;
