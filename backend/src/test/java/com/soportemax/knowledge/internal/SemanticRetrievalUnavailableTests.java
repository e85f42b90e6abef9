package com.soportemax.knowledge.internal;

import com.soportemax.TestDatabase;
import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Retrieval;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** An embedding model that cannot be had never stops the application: retrieval goes on by words, admins are told. */
@SpringBootTest
@AutoConfigureMockMvc
@Import(TestDatabase.class)
class SemanticRetrievalUnavailableTests {

    static final Path CORRUPT = corruptModel();

    @DynamicPropertySource
    static void corruptEmbeddingModel(DynamicPropertyRegistry registry) {
        registry.add("soportemax.knowledge.embedding-model", CORRUPT::toString);
    }

    @Autowired KnowledgeBase knowledgeBase;
    @Autowired SemanticModel model;
    @Autowired MockMvc mvc;
    @Autowired PassageVectors vectors;

    @TempDir Path folder;

    @Test
    void matchesByWordsOnlyAndTellsAdminsWhenTheModelFileIsCorrupt() throws Exception {
        SemanticModel.Status status = settled(model);

        assertThat(status.state()).isEqualTo(SemanticModel.State.UNAVAILABLE);
        assertThat(status.notice()).contains("not a usable GGUF embedding model").contains("matched by their words only")
                .contains("soportemax.knowledge.embedding-model");
        Retrieval found = knowledgeBase.retrieve("¿Cómo hago una devolución?", "es", 3);
        assertThat(found.semantic()).isFalse();
        assertThat(found.passages().getFirst().externalId()).isEqualTo("kb-devoluciones-como");
        assertThat(found.scores()).allSatisfy(scores -> assertThat(scores.semantic()).isNull());

        mvc.perform(get("/api/admin/knowledge/semantic").with(user("admin@soportemax.test").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("UNAVAILABLE"))
                .andExpect(jsonPath("$.notice").value(status.notice()));
        String page = mvc.perform(get("/admin/knowledge").with(user("admin@soportemax.test").roles("ADMIN")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Semantic retrieval is unavailable");
    }

    @Test
    void aNodeDoesNotComputeVectorsWhileAnotherNodeIs() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread otherNode = Thread.ofPlatform().start(() -> vectors.whileNoOtherNodeEmbeds(() -> {
            holding.countDown();
            try {
                release.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(holding.await(1, TimeUnit.MINUTES)).isTrue();

        boolean ran = vectors.whileNoOtherNodeEmbeds(() -> {
            throw new AssertionError("ran while another node was embedding");
        });

        release.countDown();
        otherNode.join();
        assertThat(ran).isFalse();
    }

    @Test
    void aMissingModelFileLeavesRetrievalLexicalWithANotice() {
        Path missing = folder.resolve("no-such-model.gguf");

        SemanticModel.Status status = settled(semanticModel(Map.of("embedding-model", missing.toString())));

        assertThat(status.state()).isEqualTo(SemanticModel.State.UNAVAILABLE);
        assertThat(status.notice()).contains("no file at " + missing.toAbsolutePath());
    }

    @Test
    void aDownloadThatCannotReachTheHubLeavesRetrievalLexicalWithANotice() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        SemanticModel.Status status = settled(semanticModel(Map.of(
                "embedding-model", "hf:acme/embeddings-GGUF/tiny-embedder.gguf",
                "embedding-model-hub", "http://127.0.0.1:" + closedPort,
                "embedding-model-cache", folder.toString())));

        assertThat(status.state()).isEqualTo(SemanticModel.State.UNAVAILABLE);
        assertThat(status.notice()).contains("cannot reach").contains("copy the file to");
    }

    @Test
    void noneTurnsSemanticRetrievalOffSayingHowToTurnItOn() {
        SemanticModel.Status status = semanticModel(Map.of("embedding-model", "none")).status();

        assertThat(status.state()).isEqualTo(SemanticModel.State.OFF);
        assertThat(status.notice()).contains("Semantic retrieval is off").contains("hf:owner/repo/file.gguf");
    }

    private static SemanticModel semanticModel(Map<String, String> settings) {
        Map<String, String> prefixed = new java.util.HashMap<>();
        settings.forEach((key, value) -> prefixed.put("soportemax.knowledge." + key, value));
        KnowledgeProperties properties = new Binder(new MapConfigurationPropertySource(prefixed))
                .bindOrCreate("soportemax.knowledge", Bindable.of(KnowledgeProperties.class));
        return new SemanticModel(properties, new StaticListableBeanFactory().getBeanProvider(EmbeddingModel.class),
                event -> { }, Translator.NONE);
    }

    private static SemanticModel.Status settled(SemanticModel model) {
        Instant until = Instant.now().plus(Duration.ofMinutes(1));
        while (model.status().state() == SemanticModel.State.LOADING) {
            assertThat(Instant.now()).as("the embedding model settles").isBefore(until);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return model.status();
    }

    /** Starts like a GGUF file, then is garbage: what a truncated or damaged download looks like. */
    private static Path corruptModel() {
        try {
            Path file = Files.createTempFile("corrupt-embedder-", ".gguf");
            file.toFile().deleteOnExit();
            Files.write(file, ("GGUF" + "\u0003\u0000\u0000\u0000" + "not a model at all").getBytes(StandardCharsets.ISO_8859_1));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
