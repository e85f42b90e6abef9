/**
 * The answer-quality benchmark: runs a knowledge base and labelled customer messages through the real application
 * (fresh database, real HTTP APIs) and measures retrieval and the assistant's decisions. Talks to the application
 * only over HTTP, as a customer's widget and an admin's script do.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Evaluation")
package com.soportemax.evaluation;
