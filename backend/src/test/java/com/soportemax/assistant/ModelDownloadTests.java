package com.soportemax.assistant;

import com.soportemax.shared.models.ModelDownloader;
import com.soportemax.shared.models.ModelReference;
import com.soportemax.inference.engine.LanguageModel;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** hf: references against a local stand-in for the hub (the real one is unreachable from here). */
class ModelDownloadTests {

    static final ModelReference.HuggingFace REFERENCE = new ModelReference.HuggingFace("acme", "tiny-GGUF", "tiny.gguf");
    static final byte[] MODEL = ("GGUF" + "x".repeat(200_000)).getBytes(StandardCharsets.US_ASCII);

    @TempDir Path cache;
    HttpServer hub;
    final AtomicInteger downloads = new AtomicInteger();
    volatile String publishedChecksum;
    volatile Duration stall = Duration.ZERO;

    @BeforeEach
    void startHub() throws IOException {
        publishedChecksum = sha256(MODEL);
        hub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Like the hub: /resolve/ redirects to file storage, announcing the LFS SHA-256 on the redirect.
        hub.createContext("/acme/tiny-GGUF/resolve/main/tiny.gguf", exchange -> {
            exchange.getResponseHeaders().add("X-Linked-Etag", "\"" + publishedChecksum + "\"");
            exchange.getResponseHeaders().add("Location", "/storage/tiny.gguf");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        hub.createContext("/storage/tiny.gguf", exchange -> {
            downloads.incrementAndGet();
            try {
                Thread.sleep(stall);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, MODEL.length);
            try (var body = exchange.getResponseBody()) {
                body.write(MODEL);
            }
        });
        hub.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        hub.start();
    }

    @AfterEach
    void stopHub() {
        hub.stop(0);
    }

    URI hubUri() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    @Test
    void downloadsOnceIntoTheCacheAndVerifiesThePublishedChecksum() throws IOException {
        var downloader = new ModelDownloader(hubUri(), Duration.ofSeconds(5));

        Path first = downloader.fetch(REFERENCE, cache, null);
        Path second = downloader.fetch(REFERENCE, cache, null);

        assertThat(first).isEqualTo(cache.resolve("acme/tiny-GGUF/tiny.gguf").toAbsolutePath()).isEqualTo(second);
        assertThat(Files.readAllBytes(first)).isEqualTo(MODEL);
        assertThat(downloads).hasValue(1);
        assertThat(Files.readString(first.resolveSibling("tiny.gguf.sha256")).strip()).isEqualTo(sha256(MODEL));
    }

    @Test
    void discardsADownloadWhoseChecksumDoesNotMatchThePublishedOne() {
        publishedChecksum = "0".repeat(64);
        var downloader = new ModelDownloader(hubUri(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> downloader.fetch(REFERENCE, cache, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("has SHA-256 " + sha256(MODEL))
                .hasMessageContaining("the hub publishes " + "0".repeat(64));
        assertThat(cache.resolve("acme/tiny-GGUF/tiny.gguf")).doesNotExist();
        assertThat(cache.resolve("acme/tiny-GGUF/tiny.gguf.part")).doesNotExist();
    }

    @Test
    void theConfiguredChecksumWinsOverThePublishedOne() {
        var downloader = new ModelDownloader(hubUri(), Duration.ofSeconds(5));

        assertThatThrownBy(() -> downloader.fetch(REFERENCE, cache, "a".repeat(64)))
                .hasMessageContaining("soportemax.model-sha256 says " + "a".repeat(64));
    }

    @Test
    void downloadsAgainWhenTheCachedCopyIsDamaged() throws IOException {
        var downloader = new ModelDownloader(hubUri(), Duration.ofSeconds(5));
        Path file = downloader.fetch(REFERENCE, cache, null);
        Files.write(file, "GGUF damaged".getBytes(StandardCharsets.US_ASCII));

        downloader.fetch(REFERENCE, cache, null);

        assertThat(Files.readAllBytes(file)).isEqualTo(MODEL);
        assertThat(downloads).hasValue(2);
    }

    @Test
    void saysWhereToPutTheFileWhenTheHubCannotBeReached() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var downloader = new ModelDownloader(URI.create("http://127.0.0.1:" + closedPort), Duration.ofSeconds(2));

        assertThatThrownBy(() -> downloader.fetch(REFERENCE, cache, null))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("cannot reach")
                .hasMessageContaining(cache.resolve("acme/tiny-GGUF/tiny.gguf").toAbsolutePath().toString());
    }

    @Test
    void anUnreachableHubLeavesTheAssistantInRetrievalOnlyModeWithoutDelayingStartUp() throws Exception {
        int closedPort;
        try (var socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        long start = System.nanoTime();
        var engine = engine("hf:acme/tiny-GGUF/tiny.gguf", URI.create("http://127.0.0.1:" + closedPort), Duration.ofMinutes(1));
        long constructionMillis = (System.nanoTime() - start) / 1_000_000;

        assertThat(constructionMillis).isLessThan(1000);
        assertThat(engine.awaitSettled(Duration.ofSeconds(20))).isTrue();
        assertThat(engine.status().mode()).isEqualTo(AssistantEngine.Mode.RETRIEVAL_ONLY);
        assertThat(engine.status().notice()).contains("cannot reach").contains("retrieval-only mode");
        assertThat(engine.model()).isEmpty();
        engine.destroy();
    }

    @Test
    void aHubThatStallsIsGivenUpAfterTheLoadTimeout() throws Exception {
        stall = Duration.ofSeconds(30);
        var engine = engine("hf:acme/tiny-GGUF/tiny.gguf", hubUri(), Duration.ofSeconds(1));

        assertThat(engine.status().mode()).isEqualTo(AssistantEngine.Mode.LOADING);
        assertThat(engine.awaitSettled(Duration.ofSeconds(10))).isTrue();
        assertThat(engine.status().mode()).isEqualTo(AssistantEngine.Mode.RETRIEVAL_ONLY);
        assertThat(engine.status().notice()).contains("did not finish within soportemax.model-load-timeout");
        engine.destroy();
    }

    @Test
    void aDownloadedFileTheEngineCannotLoadLeavesTheAssistantInRetrievalOnlyMode() throws Exception {
        var engine = engine("hf:acme/tiny-GGUF/tiny.gguf", hubUri(), Duration.ofMinutes(1));

        assertThat(engine.awaitSettled(Duration.ofSeconds(20))).isTrue();
        assertThat(engine.status().mode()).isEqualTo(AssistantEngine.Mode.RETRIEVAL_ONLY);
        assertThat(cache.resolve("acme/tiny-GGUF/tiny.gguf")).exists();
        engine.destroy();
    }

    AssistantEngine engine(String model, URI hub, Duration loadTimeout) {
        var properties = new ModelProperties(model, cache, null, hub, loadTimeout);
        var assistant = TestSettings.defaults();
        return new AssistantEngine(properties, assistant,
                new StaticListableBeanFactory().getBeanProvider(LanguageModel.class));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
