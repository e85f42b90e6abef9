package com.soportemax.inference.sampling;

import com.soportemax.inference.tensor.FloatOps;

/**
 * What the model thought of one step, under the raw softmax of its logits at temperature 1 (before penalties and
 * filters), as llama.cpp reports with {@code n_probs}.
 *
 * @param chosenLogProb log-probability of the chosen token
 * @param topIds        the most likely tokens, most likely first
 * @param topLogProbs   their log-probabilities
 * @param entropy       entropy of the distribution, in nats; NaN when no alternatives were asked for
 */
public record TokenStatistics(int chosen, double chosenLogProb, int[] topIds, double[] topLogProbs, double entropy) {

    private static final int[] NO_IDS = {};
    private static final double[] NO_LOG_PROBS = {};

    /**
     * Statistics of {@code logits[0 .. vocab)} for the chosen token, with the {@code top} most likely tokens and the
     * entropy; with {@code top == 0} only the chosen token's log-probability (one pass, no entropy).
     */
    public static TokenStatistics of(float[] logits, int offset, int vocab, int chosen, int top) {
        if (top == 0) {
            // every token of every stream comes here: vectorized, it is a small part of a decode step
            return new TokenStatistics(chosen, logits[offset + chosen] - FloatOps.logSumExp(logits, offset, vocab),
                    NO_IDS, NO_LOG_PROBS, Double.NaN);
        }
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) max = Math.max(max, logits[offset + i]);
        double sum = 0, weighted = 0;
        for (int i = 0; i < vocab; i++) {
            double shifted = logits[offset + i] - max;
            double e = Math.exp(shifted);
            sum += e;
            if (e > 0) weighted += e * shifted;
        }
        double logZ = Math.log(sum);
        // H = log Z - E[x - max] with x shifted by max
        double entropy = Math.max(0, logZ - weighted / sum);
        int n = Math.min(top, vocab);
        int[] ids = new int[n];
        float[] best = new float[n];
        int filled = 0;
        for (int i = 0; i < vocab; i++) {
            float v = logits[offset + i];
            if (filled < n) {
                int j = filled++;
                while (j > 0 && best[j - 1] < v) {
                    best[j] = best[j - 1];
                    ids[j] = ids[j - 1];
                    j--;
                }
                best[j] = v;
                ids[j] = i;
            } else if (v > best[n - 1]) {
                int j = n - 1;
                while (j > 0 && best[j - 1] < v) {
                    best[j] = best[j - 1];
                    ids[j] = ids[j - 1];
                    j--;
                }
                best[j] = v;
                ids[j] = i;
            }
        }
        double[] logProbs = new double[n];
        for (int i = 0; i < n; i++) logProbs[i] = best[i] - max - logZ;
        return new TokenStatistics(chosen, logits[offset + chosen] - max - logZ, ids, logProbs, entropy);
    }
}
