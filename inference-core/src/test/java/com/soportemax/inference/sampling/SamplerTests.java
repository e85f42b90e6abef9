package com.soportemax.inference.sampling;

import com.soportemax.inference.engine.SamplingSettings;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SamplerTests {

    // probabilities 0.6, 0.3, 0.1 at temperature 1
    static final float[] THREE = {(float) Math.log(0.6), (float) Math.log(0.3), (float) Math.log(0.1)};

    static Set<Integer> draws(SamplingSettings settings, float[] logits, int[] history, int count) {
        Sampler sampler = new Sampler(settings);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 2000; i++) seen.add(sampler.sample(logits, 0, logits.length, history, count));
        return seen;
    }

    static SamplingSettings settings(double temperature, int topK, double topP, double minP, double penalty) {
        return new SamplingSettings(temperature, topK, topP, minP, penalty, 64, 42);
    }

    @Test
    void temperatureZeroIsGreedy() {
        assertThat(draws(settings(0, 0, 1, 0, 1), THREE, new int[0], 0)).containsExactly(0);
    }

    @Test
    void withoutFiltersEveryTokenCanBeDrawn() {
        assertThat(draws(settings(1, 0, 1, 0, 1), THREE, new int[0], 0)).containsExactlyInAnyOrder(0, 1, 2);
    }

    @Test
    void topKKeepsTheKMostLikely() {
        assertThat(draws(settings(1, 2, 1, 0, 1), THREE, new int[0], 0)).containsExactlyInAnyOrder(0, 1);
        assertThat(draws(settings(5, 1, 1, 0, 1), THREE, new int[0], 0)).containsExactly(0);
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        assertThat(draws(settings(1, 0, 0.5, 0, 1), THREE, new int[0], 0)).containsExactly(0);
        assertThat(draws(settings(1, 0, 0.85, 0, 1), THREE, new int[0], 0)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void minPDropsTokensFarBelowTheBest() {
        // 0.1 < 0.2 * 0.6 is dropped, 0.3 >= 0.12 stays
        assertThat(draws(settings(1, 0, 1, 0.2, 1), THREE, new int[0], 0)).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void repetitionPenaltyDemotesRecentTokens() {
        float[] logits = {2.0f, 1.8f, -1f};
        assertThat(draws(settings(0, 0, 1, 0, 1.5), logits, new int[]{0}, 1)).containsExactly(1);
        // outside the window the penalty does not apply
        SamplingSettings narrow = new SamplingSettings(0, 0, 1, 0, 1.5, 1, 1);
        assertThat(draws(narrow, logits, new int[]{0, 2}, 2)).containsExactly(0);
    }

    @Test
    void sameSeedSameDraws() {
        float[] flat = new float[50];
        Sampler a = new Sampler(settings(1, 0, 1, 0, 1));
        Sampler b = new Sampler(settings(1, 0, 1, 0, 1));
        for (int i = 0; i < 100; i++) {
            assertThat(a.sample(flat, 0, 50, new int[0], 0)).isEqualTo(b.sample(flat, 0, 50, new int[0], 0));
        }
    }

    @Test
    void statisticsUseTheRawSoftmax() {
        TokenStatistics s = TokenStatistics.of(THREE, 0, 3, 1, 5);
        assertThat(s.chosenLogProb()).isCloseTo(Math.log(0.3), within(1e-6));
        assertThat(s.topIds()).containsExactly(0, 1, 2);
        assertThat(s.topLogProbs()[0]).isCloseTo(Math.log(0.6), within(1e-6));
        double entropy = -(0.6 * Math.log(0.6) + 0.3 * Math.log(0.3) + 0.1 * Math.log(0.1));
        assertThat(s.entropy()).isCloseTo(entropy, within(1e-6));
        assertThat(TokenStatistics.of(new float[64], 0, 64, 3, 5).entropy()).isCloseTo(Math.log(64), within(1e-9));
    }
}
