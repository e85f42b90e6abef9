package com.soportemax.inference.engine;

/**
 * How the next token is chosen. {@code temperature == 0} is greedy decoding; the other filters are
 * applied in llama.cpp's order: repetition penalty, top-k, top-p, min-p, temperature.
 *
 * @param topK              0 disables top-k
 * @param topP              1 disables top-p
 * @param minP              0 disables min-p
 * @param repetitionPenalty 1 disables the penalty
 * @param repetitionWindow  how many recent tokens the penalty looks at
 * @param seed              same seed, same prompt, same settings: same output
 */
public record SamplingSettings(double temperature, int topK, double topP, double minP,
                               double repetitionPenalty, int repetitionWindow, long seed) {

    public static final SamplingSettings GREEDY = new SamplingSettings(0, 0, 1, 0, 1, 64, 0);

    public SamplingSettings {
        if (!(temperature >= 0)) throw new IllegalArgumentException("temperature must be >= 0, was " + temperature);
        if (topK < 0) throw new IllegalArgumentException("topK must be >= 0, was " + topK);
        if (!(topP > 0 && topP <= 1)) throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        if (!(minP >= 0 && minP < 1)) throw new IllegalArgumentException("minP must be in [0, 1), was " + minP);
        if (!(repetitionPenalty > 0)) throw new IllegalArgumentException("repetitionPenalty must be > 0, was " + repetitionPenalty);
        if (repetitionWindow < 0) throw new IllegalArgumentException("repetitionWindow must be >= 0, was " + repetitionWindow);
    }

    public static SamplingSettings of(double temperature, double topP, long seed) {
        return new SamplingSettings(temperature, 40, topP, 0.05, 1.1, 64, seed);
    }
}
