package com.soportemax.assistant.internal;

import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.StopReason;
import com.soportemax.knowledge.Retrieval;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class CalibrationTests {

    /** Labels drawn from a known logistic model: the fit must find it again. */
    @Test
    void aModelFittedOnLabelledMessagesGivesTheProbabilitiesTheLabelsWereDrawnFrom() {
        var truth = new ConfidenceModel.Logistic(-3, Map.of("topScore", 4.0, "coverage", 2.0), "truth");
        var random = new Random(42);
        List<ConfidenceFitter.Example> fixture = new ArrayList<>();
        for (int i = 0; i < 4000; i++) {
            Map<String, Double> x = Map.of("topScore", random.nextDouble(), "coverage", random.nextDouble());
            fixture.add(new ConfidenceFitter.Example(x, random.nextDouble() < truth.probability(x)));
        }

        var fitted = ConfidenceFitter.fit(fixture, List.of("topScore", "coverage"), 0.01, "fixture");

        for (double[] point : new double[][]{{0.1, 0.1}, {0.5, 0.5}, {0.9, 0.2}, {0.95, 0.9}}) {
            Map<String, Double> x = Map.of("topScore", point[0], "coverage", point[1]);
            assertThat(fitted.probability(x)).as("at %s", x).isCloseTo(truth.probability(x), within(0.04));
        }
    }

    @Test
    void aFittedModelIsCalibratedOnItsOwnFixture() {
        // Half the messages with a strong passage are answered right, nine in ten with a weak one are not.
        List<ConfidenceFitter.Example> fixture = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            fixture.add(new ConfidenceFitter.Example(Map.of("topScore", 1.0), i % 2 == 0));
            fixture.add(new ConfidenceFitter.Example(Map.of("topScore", 0.0), i % 10 == 0));
        }

        var fitted = ConfidenceFitter.fit(fixture, List.of("topScore"), 0, "fixture");

        assertThat(fitted.probability(Map.of("topScore", 1.0))).isCloseTo(0.5, within(1e-6));
        assertThat(fitted.probability(Map.of("topScore", 0.0))).isCloseTo(0.1, within(1e-6));
    }

    @Test
    void theWhatIfTableCountsAnsweredAndWronglyAnsweredMessagesPerThreshold() {
        var model = new ConfidenceModel("test", "fixture", new ConfidenceModel.Logistic(0, Map.of(), ""), null,
                new ConfidenceModel.Logistic(0, Map.of(), ""), List.of(
                new ConfidenceModel.Labelled(0.95, true), new ConfidenceModel.Labelled(0.85, false),
                new ConfidenceModel.Labelled(0.45, true), new ConfidenceModel.Labelled(0.2, false)));

        var table = new Calibration(model).whatIf();

        assertThat(table).extracting(Calibration.WhatIf::threshold).containsExactly(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9);
        assertThat(table.get(0).answered()).isEqualTo(0.75);
        assertThat(table.get(0).answeredWrongly()).isEqualTo(0.25);
        assertThat(table.get(2).answered()).isEqualTo(0.5);
        assertThat(table.get(6).answered()).isEqualTo(0.25);
        assertThat(table.get(6).answeredWrongly()).isZero();
    }

    @Test
    void withTheShippedModelAHesitantOrUngroundedAnswerScoresUnderAFluentGroundedOne() {
        var calibration = new Calibration(Calibration.load());
        var retrieval = ConfidenceFeatures.of(new Retrieval(List.of(), 0.9, 0.4, 0.8, 4, false));

        double fluent = calibration.score(retrieval.withGeneration(completion(-0.05, 0.6), 1)).value();
        double hesitant = calibration.score(retrieval.withGeneration(completion(-0.9, 0.03), 1)).value();
        double ungrounded = calibration.score(retrieval.withGeneration(completion(-0.05, 0.6), 0.1)).value();

        assertThat(fluent).isGreaterThan(0.8);
        assertThat(hesitant).isLessThan(0.55);
        assertThat(ungrounded).isLessThan(0.55);
        assertThat(ConfidenceScore.ofSignal(ExplicitSignal.SENSITIVE).value()).isZero();
    }

    @Test
    void hybridRetrievalIsJudgedByItsOwnModelAndTrustedMoreWhenBothRankingsPutTheArticleFirst() {
        var model = new ConfidenceModel("test", "fixture", new ConfidenceModel.Logistic(-1, Map.of(), "lexical"),
                new ConfidenceModel.Logistic(-2, Map.of("agreement", 4.0), "hybrid"),
                new ConfidenceModel.Logistic(0, Map.of(), ""), List.of());
        var lexical = ConfidenceFeatures.of(new Retrieval(List.of(), 0.7, 0.2, 0.6, 3, false));
        var agreed = ConfidenceFeatures.of(new Retrieval(List.of(), 0.7, 0.2, 0.6, 3, true, List.of(), 1.0));
        var disputed = ConfidenceFeatures.of(new Retrieval(List.of(), 0.7, 0.2, 0.6, 3, true, List.of(), 0.5));

        assertThat(model.probability(lexical)).isCloseTo(1 / (1 + Math.exp(1)), within(1e-9));
        assertThat(model.probability(agreed)).isCloseTo(1 / (1 + Math.exp(-2)), within(1e-9));
        assertThat(model.probability(disputed)).isCloseTo(0.5, within(1e-9));
        var older = new ConfidenceModel("old", "fixture", new ConfidenceModel.Logistic(-1, Map.of(), "lexical"), null,
                new ConfidenceModel.Logistic(0, Map.of(), ""), List.of());
        assertThat(older.probability(agreed)).as("a model fitted before hybrid retrieval: the lexical one stands in")
                .isCloseTo(1 / (1 + Math.exp(1)), within(1e-9));
    }

    static Completion completion(double meanLogProb, double minTokenProb) {
        return new Completion("texto", List.of(), 10, 5, meanLogProb, minTokenProb, StopReason.END_OF_GENERATION,
                Duration.ofMillis(5), Duration.ofMillis(50));
    }
}
