package com.soportemax.assistant.internal;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Retrieval;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fitter of the assistant's confidence model: each labelled set (a knowledge base and its messages) is imported
 * into a fresh knowledge base, every message that reaches the calibrated decision (no explicit signal, no small
 * talk, not vague) is retrieved, and a message counts as "right" when it expects an answer and retrieval's first
 * passage is its article. The retrieval-only logistic model is fitted on all sets together.
 *
 * <p>Always checks that the fit predicts the labels better than their base rate; with
 * {@code -Dsoportemax.fit-confidence=write} it also writes the fitted model to
 * {@code backend/src/main/resources/assistant/confidence-model.json} (a new version).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class ConfidenceFittingTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String ADMIN = WidgetClient.basic("admin@soportemax.test", "test-admin-password");

    @LocalServerPort int port;
    @Autowired KnowledgeBase knowledge;

    @Test
    void theFittedModelPredictsWhetherRetrievalFoundTheRightArticleBetterThanTheBaseRate() throws IOException {
        Path shared = Path.of(System.getProperty("soportemax.shared", "../shared"));
        Assumptions.assumeTrue(Files.isReadable(shared.resolve("eval-dev/kb.json")),
                "the labelled sets beside the project (../shared/eval-dev) are not here; nothing to fit");
        Path own = Path.of("src/test/resources/eval");
        List<ConfidenceFitter.Example> examples = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        for (Path set : List.of(shared.resolve("eval-dev"), own.resolve("onda-movil"), own.resolve("demo-seed"))) {
            if (!Files.isReadable(set.resolve("questions.jsonl")) || !Files.isReadable(set.resolve("kb.json"))) continue;
            examples.addAll(examples(set));
            sets.add(set.getFileName().toString());
        }

        var fitted = ConfidenceFitter.fit(examples, semantic() ? ConfidenceFeatures.HYBRID_RETRIEVAL
                : ConfidenceFeatures.RETRIEVAL, 1.0,
                "fitted on " + examples.size() + " messages of " + sets + retrievalDescription());

        double rate = examples.stream().filter(ConfidenceFitter.Example::right).count() / (double) examples.size();
        double baseLoss = 0;
        double fittedLoss = 0;
        for (var e : examples) {
            baseLoss += logLoss(rate, e.right());
            fittedLoss += logLoss(fitted.probability(e.features()), e.right());
        }
        System.out.printf("confidence fit: %d messages, %.0f%% right, log-loss %.3f (base rate %.3f), %s%n",
                examples.size(), 100 * rate, fittedLoss / examples.size(), baseLoss / examples.size(), fitted);
        assertThat(fittedLoss).isLessThan(0.9 * baseLoss);

        if ("write".equals(System.getProperty("soportemax.fit-confidence"))) {
            ConfidenceModel shipped = Calibration.load();
            String version = "fit-" + LocalDate.now() + "-" + examples.size();
            ConfidenceModel model = semantic()
                    ? new ConfidenceModel(shipped.version().replaceFirst("\\+.*", "") + "+hybrid-" + version, shipped.fittedOn(), shipped.retrievalOnly(),
                            fitted, shipped.withModel(), shipped.sample())
                    : new ConfidenceModel(version + shipped.version().replaceFirst("^[^+]*", ""), String.join(", ", sets),
                            fitted, shipped.semanticRetrievalOnly(),
                            shipped.withModel(), ConfidenceFitter.sample(fitted, examples));
            Files.writeString(Path.of("src/main/resources/" + Calibration.RESOURCE),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(model) + "\n");
        }
    }

    /** Whether this fit is of hybrid retrieval's scores (a subclass with an embedding model) or of lexical ones. */
    boolean semantic() {
        return false;
    }

    String retrievalDescription() {
        return ", lexical retrieval";
    }

    /** Waits, where an embedding model runs, until every imported passage has its vector. */
    void awaitVectors(WidgetClient admin) {
    }

    /** The test database is shared by every test class: put the demo seed back in place of the last set fitted. */
    @AfterEach
    void restoreTheSeedKnowledgeBase() throws IOException {
        WidgetClient admin = new WidgetClient(port);
        for (JsonNode article : admin.send("GET", "/api/admin/knowledge/articles", null, ADMIN).json()) {
            admin.send("DELETE", "/api/admin/knowledge/articles/" + article.path("id").asString(), null, ADMIN);
        }
        for (String seed : List.of("/knowledge/seed-es.json", "/knowledge/seed-en.json")) {
            try (var in = ConfidenceFittingTests.class.getResourceAsStream(seed)) {
                String articles = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                assertThat(admin.send("POST", "/api/admin/knowledge/import", articles, ADMIN).status()).isEqualTo(200);
            }
        }
    }

    /** One set's messages that reach the calibrated decision, labelled. */
    List<ConfidenceFitter.Example> examples(Path set) throws IOException {
        WidgetClient admin = new WidgetClient(port);
        for (JsonNode article : admin.send("GET", "/api/admin/knowledge/articles", null, ADMIN).json()) {
            admin.send("DELETE", "/api/admin/knowledge/articles/" + article.path("id").asString(), null, ADMIN);
        }
        ArrayNode items = JSON.createArrayNode();
        for (JsonNode a : JSON.readTree(set.resolve("kb.json").toFile())) {
            ObjectNode item = items.addObject();
            item.put("externalId", a.path("id").asString());
            item.put("title", a.path("title").asString());
            item.put("body", a.path("body").asString());
            item.set("tags", a.path("tags"));
            if (a.has("language")) item.put("language", a.path("language").asString());
        }
        assertThat(admin.send("POST", "/api/admin/knowledge/import", JSON.writeValueAsString(items), ADMIN).status())
                .isEqualTo(200);
        awaitVectors(admin);
        List<ConfidenceFitter.Example> out = new ArrayList<>();
        for (String line : Files.readAllLines(set.resolve("questions.jsonl"))) {
            if (line.isBlank()) continue;
            JsonNode q = JSON.readTree(line);
            CustomerText text = CustomerText.of(q.path("q").asString());
            if (ExplicitSignal.detect(text).isPresent() || SmallTalk.kind(text).isPresent() || Vagueness.isVague(text)) {
                continue;
            }
            Retrieval retrieval = knowledge.retrieve(text.original(), text.language("es"), 4);
            assertThat(retrieval.semantic() || retrieval.passages().isEmpty())
                    .as("retrieval matched by meaning: %s", line).isEqualTo(semantic() || retrieval.passages().isEmpty());
            boolean right = "answer".equals(q.path("expect").asString()) && !retrieval.passages().isEmpty()
                    && q.path("article").asString().equals(retrieval.passages().getFirst().externalId());
            out.add(new ConfidenceFitter.Example(ConfidenceFeatures.of(retrieval).vector(), right));
        }
        return out;
    }

    static double logLoss(double p, boolean right) {
        double q = Math.min(1 - 1e-9, Math.max(1e-9, p));
        return -(right ? Math.log(q) : Math.log(1 - q));
    }

}
