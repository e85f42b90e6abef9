package com.soportemax.inference.sampling;

import com.soportemax.inference.engine.SamplingSettings;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses next tokens from logits, in llama.cpp's order: repetition penalty, top-k, top-p, min-p, temperature.
 * Temperature 0 is greedy (the highest penalised logit; lowest id on ties). One sampler serves one generation: it
 * holds the seeded random generator, so the same seed and logits give the same tokens.
 */
public final class Sampler {

    private final SamplingSettings settings;
    private final SplittableRandom random;

    public Sampler(SamplingSettings settings) {
        this.settings = settings;
        this.random = new SplittableRandom(settings.seed());
    }

    /**
     * @param logits  the model's logits for [offset, offset + vocab); left unchanged
     * @param history the tokens so far (prompt and generated), the last {@code count} of which are in force
     */
    public int sample(float[] logits, int offset, int vocab, int[] history, int count) {
        boolean penalty = settings.repetitionPenalty() != 1 && settings.repetitionWindow() > 0;
        if (settings.temperature() == 0 && !penalty) return argmax(logits, offset, vocab);
        float[] x = Arrays.copyOfRange(logits, offset, offset + vocab);
        applyRepetitionPenalty(x, history, count);
        if (settings.temperature() == 0) return argmax(x, 0, vocab);

        int[] candidates = topCandidates(x, settings.topK() == 0 ? vocab : Math.min(settings.topK(), vocab));
        int n = candidates.length;
        // probabilities at temperature 1 for top-p and min-p, as llama.cpp computes them before scaling
        double max = x[candidates[0]];
        double[] p = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            p[i] = Math.exp(x[candidates[i]] - max);
            sum += p[i];
        }
        if (settings.topP() < 1) {
            double cumulative = 0;
            for (int i = 0; i < n; i++) {
                cumulative += p[i] / sum;
                if (cumulative >= settings.topP()) {
                    n = i + 1;
                    break;
                }
            }
        }
        if (settings.minP() > 0) {
            // p[0] is the largest (candidates are sorted), so p_i / p_max = p[i] / p[0]
            int keep = 1;
            while (keep < n && p[keep] >= settings.minP() * p[0]) keep++;
            n = keep;
        }
        double t = settings.temperature();
        double[] w = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            w[i] = Math.exp((x[candidates[i]] - max) / t);
            total += w[i];
        }
        double r = random.nextDouble() * total;
        for (int i = 0; i < n; i++) {
            r -= w[i];
            if (r < 0) return candidates[i];
        }
        return candidates[n - 1];
    }

    private void applyRepetitionPenalty(float[] x, int[] history, int count) {
        float penalty = (float) settings.repetitionPenalty();
        if (penalty == 1f || settings.repetitionWindow() == 0) return;
        int from = Math.max(0, count - settings.repetitionWindow());
        boolean[] seen = new boolean[x.length];
        for (int i = from; i < count; i++) {
            int id = history[i];
            if (id < 0 || id >= x.length || seen[id]) continue;
            seen[id] = true;
            // llama.cpp: positive logits are divided, negative ones multiplied, so both move towards "less likely"
            x[id] = x[id] > 0 ? x[id] / penalty : x[id] * penalty;
        }
    }

    static int argmax(float[] x, int offset, int length) {
        int best = 0;
        for (int i = 1; i < length; i++) {
            if (x[offset + i] > x[offset + best]) best = i;
        }
        return best;
    }

    /** The {@code k} ids with the highest logits, highest first (ties: lower id first). */
    static int[] topCandidates(float[] x, int k) {
        if (k >= x.length) {
            long[] keys = new long[x.length];
            for (int i = 0; i < x.length; i++) keys[i] = sortKey(x[i], i);
            Arrays.sort(keys);
            int[] ids = new int[x.length];
            for (int i = 0; i < x.length; i++) ids[i] = (int) keys[i];
            return ids;
        }
        // bounded selection: keep the k best keys in a sorted buffer
        long[] best = new long[k];
        Arrays.fill(best, Long.MAX_VALUE);
        for (int i = 0; i < x.length; i++) {
            long key = sortKey(x[i], i);
            if (key >= best[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && best[j - 1] > key) {
                best[j] = best[j - 1];
                j--;
            }
            best[j] = key;
        }
        int[] ids = new int[k];
        for (int i = 0; i < k; i++) ids[i] = (int) best[i];
        return ids;
    }

    /** Ascending order of the key is descending logit, then ascending id. */
    private static long sortKey(float logit, int id) {
        int bits = Float.floatToIntBits(logit);
        // map floats to ints that sort like the floats, then negate for descending order
        int ordered = bits >= 0 ? bits : bits ^ 0x7FFFFFFF;
        return ((long) -(long) ordered << 32) | (id & 0xFFFFFFFFL);
    }
}
