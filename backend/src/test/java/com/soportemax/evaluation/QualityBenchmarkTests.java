package com.soportemax.evaluation;

import com.soportemax.SoporteMaxApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The answer-quality benchmark run end to end: the real application, a fresh database, the HTTP APIs. */
class QualityBenchmarkTests {

    static Path ownSet() {
        try {
            return Path.of(QualityBenchmarkTests.class.getResource("/eval/onda-movil/kb.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static QualityBenchmark.Options retrievalOnly(Path set, Path json) {
        return new QualityBenchmark.Options(List.of(set.resolve("kb.json")), set.resolve("questions.jsonl"), null, json,
                null, Map.of());
    }

    @Test
    void reportsEveryMessageOfTheSetWithWhatTheAssistantDidAndWritesItAsJson(@TempDir Path folder) throws IOException {
        Path json = folder.resolve("out.json");
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        int status = QualityBenchmark.main(SoporteMaxApplication.class, new String[]{
                "--kb", ownSet().resolve("kb.json").toString(),
                "--questions", ownSet().resolve("questions.jsonl").toString(),
                "--json", json.toString()}, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String text = printed.toString(StandardCharsets.UTF_8);
        assertThat(status).as(text).isZero();
        assertThat(text).contains("== retrieval-only", "65 messages, 48 answerable, 17 must escalate",
                "answer hit@1", "escalation recall", "calibration");
        var report = EvaluationSet.JSON.readTree(json.toFile()).path("modes").get(0);
        assertThat(report.path("mode").asString()).isEqualTo("retrieval-only");
        assertThat(report.path("results")).hasSize(65);
        assertThat(report.path("retrievalHitAt3").asDouble()).isBetween(0.0, 1.0);
        assertThat(report.path("escalationRecallByWhy").path("injection").path("total").asInt()).isEqualTo(2);
        double answered = report.path("answerHitAt1").asDouble() + report.path("falseEscalations").asDouble()
                + report.path("wrongAnswers").asDouble();
        assertThat(answered).as("every answerable message is a hit, an escalation or a wrong answer")
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void refusesASetWhoseMessagesNameArticlesTheKnowledgeBaseLacks(@TempDir Path folder) throws IOException {
        Files.writeString(folder.resolve("kb.json"), "[{\"id\":\"a-1\",\"title\":\"T\",\"body\":\"B\",\"tags\":[]}]");
        Files.writeString(folder.resolve("questions.jsonl"), String.join("\n", List.of(
                "{\"q\":\"hola\",\"expect\":\"answer\",\"article\":\"a-2\"}",
                "{\"q\":\"x\",\"expect\":\"maybe\"}")));

        assertThatThrownBy(() -> EvaluationSet.read(folder.resolve("kb.json"), folder.resolve("questions.jsonl")))
                .hasMessageContaining("questions.jsonl line 1: \"article\" \"a-2\" is not an id")
                .hasMessageContaining("line 2: \"expect\" must be \"answer\" or \"escalate\"");
    }

    @Test
    void guessesTheWidgetLanguageOfAMessageWithoutOne() {
        assertThat(EvaluationSet.localeOf("", "How do I top up my prepaid SIM?")).isEqualTo("en");
        assertThat(EvaluationSet.localeOf(null, "q pasa si no devuelvo el router")).isEqualTo("es");
        assertThat(EvaluationSet.localeOf("en", "hola")).isEqualTo("en");
    }
}
