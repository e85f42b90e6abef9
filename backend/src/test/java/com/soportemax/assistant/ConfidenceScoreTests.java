package com.soportemax.assistant;

import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.StopReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConfidenceScoreTests {

    @Test
    void aFluentAnswerFromAGoodPassageScoresHigh() {
        var score = ConfidenceScore.ofGeneration(0.9, completion(-0.05, 0.6));

        assertThat(score.value()).isCloseTo(Math.pow(0.9, 0.3) * Math.exp(-0.05 * 0.5), within(1e-9));
        assertThat(score.value()).isGreaterThan(0.9);
        assertThat(score.explain()).isEqualTo(String.format(java.util.Locale.ROOT,
                "%.2f (retrieval 0.90, mean token p 0.95, lowest token p 0.60)", score.value()));
    }

    @Test
    void aGoodPassageCannotCarryAHesitantAnswer() {
        var hesitant = ConfidenceScore.ofGeneration(1.0, completion(-0.6, 0.03));

        assertThat(hesitant.value()).isLessThan(0.55);
    }

    @Test
    void oneVeryUnlikelyTokenLowersAnOtherwiseFluentAnswer() {
        var fluent = ConfidenceScore.ofGeneration(0.9, completion(-0.05, 0.6));
        var madeUpNumber = ConfidenceScore.ofGeneration(0.9, completion(-0.05, 0.001));

        assertThat(fluent.value() - madeUpNumber.value()).isGreaterThan(0.14);
    }

    @Test
    void staysWithinZeroAndOne() {
        assertThat(ConfidenceScore.ofGeneration(1.4, completion(0.2, 1.0)).value()).isEqualTo(1.0);
        assertThat(ConfidenceScore.ofGeneration(-1, completion(-50, 0)).value()).isBetween(0.0, 1e-9);
        assertThat(ConfidenceScore.ofSignal(ExplicitSignal.SENSITIVE).value()).isZero();
        assertThat(ConfidenceScore.ofRetrievalOnly(0.72).value()).isEqualTo(0.72);
    }

    static Completion completion(double meanLogProb, double minTokenProb) {
        return new Completion("texto", List.of(), 10, 5, meanLogProb, minTokenProb, StopReason.END_OF_GENERATION,
                Duration.ofMillis(5), Duration.ofMillis(50));
    }
}
