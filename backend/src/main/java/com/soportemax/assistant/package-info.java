/**
 * The assistant: answers customer messages from the knowledge base with the embedded language model, scores its
 * confidence and hands conversations to agents when it should not answer. Runs in retrieval-only mode when no
 * model can be loaded.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Assistant")
package com.soportemax.assistant;
