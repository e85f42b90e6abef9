package com.soportemax.assistant.internal;

import com.soportemax.WidgetClient;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same fit for hybrid retrieval: the labelled sets retrieved with an embedding model, the English
 * all-MiniLM-L6-v2 of {@code ../shared/models} reading the Spanish texts in Apertium's translation. Writes the
 * {@code semanticRetrievalOnly} model with {@code -Dsoportemax.fit-confidence=write}.
 */
class SemanticConfidenceFittingTests extends ConfidenceFittingTests {

    static final Path MODEL = Path.of(System.getProperty("soportemax.shared", "../shared"), "models",
            "all-minilm-l6-v2-f16.gguf");

    @DynamicPropertySource
    static void embeddingModel(DynamicPropertyRegistry settings) {
        settings.add("soportemax.knowledge.embedding-model",
                () -> Files.isReadable(MODEL) ? MODEL.toAbsolutePath().toString() : "none");
        settings.add("soportemax.knowledge.embedding-language", () -> "en");
    }

    @BeforeEach
    void needsTheModelAndTheTranslator() {
        Assumptions.assumeTrue(Files.isReadable(MODEL), "no embedding model at " + MODEL + ": nothing to fit");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/apertium")),
                "Apertium (Debian's apertium-eng-spa) is not installed: the English model cannot read Spanish texts");
    }

    @Override
    boolean semantic() {
        return true;
    }

    @Override
    String retrievalDescription() {
        return ", hybrid retrieval with all-MiniLM-L6-v2 over Apertium's English";
    }

    @Override
    void awaitVectors(WidgetClient admin) {
        Instant until = Instant.now().plus(Duration.ofMinutes(5));
        while (true) {
            JsonNode status = admin.send("GET", "/api/admin/knowledge/semantic", null, ADMIN).json();
            boolean done = status.path("state").asString("").equals("READY") && !status.path("running").asBoolean()
                    && status.path("total").asInt() > 0
                    && status.path("embedded").asInt() == status.path("total").asInt();
            if (done) return;
            assertThat(Instant.now()).as("every passage embedded: %s", status).isBefore(until);
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
