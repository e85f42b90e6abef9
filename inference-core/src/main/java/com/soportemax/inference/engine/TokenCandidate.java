package com.soportemax.inference.engine;

/** A token the model considered at one step, with its log-probability (raw softmax, temperature 1). */
public record TokenCandidate(int id, String text, double logProb) {
}
