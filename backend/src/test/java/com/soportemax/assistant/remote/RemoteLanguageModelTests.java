package com.soportemax.assistant.remote;

import com.soportemax.MutableClock;
import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.ContextOverflowException;
import com.soportemax.inference.engine.GeneratedToken;
import com.soportemax.inference.engine.GenerationException;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.inference.engine.SamplingSettings;
import com.soportemax.inference.engine.TokenListener;
import com.sun.net.httpserver.HttpServer;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

/** The backend's remote engine against our own {@code serve}, started in the test. */
class RemoteLanguageModelTests {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static ServedModel served;
    final MutableClock clock = new MutableClock();
    final List<RemoteLanguageModel> opened = new ArrayList<>();

    @BeforeAll
    static void serve() {
        served = new ServedModel();
    }

    @AfterAll
    static void shutDown() {
        served.close();
    }

    @AfterEach
    void closeModels() throws IOException {
        opened.forEach(RemoteLanguageModel::close);
        served.start();
    }

    RemoteLanguageModel remote(URI baseUrl, String apiKey, int attempts) {
        var settings = new InferenceSettings(InferenceSettings.Mode.REMOTE, baseUrl, apiKey, ServedModel.NAME, 2048,
                Duration.ofSeconds(2), Duration.ofSeconds(30), attempts, Duration.ofMillis(10), true,
                new InferenceSettings.CircuitBreakerSettings(0.5, 4, 2, Duration.ofSeconds(30)),
                new InferenceSettings.Embeddings(InferenceSettings.Mode.EMBEDDED, null, null, null));
        RemoteLanguageModel model = new RemoteLanguageModel(settings, JSON, clock);
        opened.add(model);
        return model;
    }

    static GenerationRequest question(String text, int maxTokens) {
        return new GenerationRequest(Prompt.chat(List.of(ChatMessage.system("Eres el asistente de Tienda SoporteMax."),
                ChatMessage.user(text))), new SamplingSettings(0, 0, 1, 0, 1, 64, 5), maxTokens, List.of(),
                Duration.ofMinutes(1));
    }

    @Test
    void streamsTheServersAnswerWithItsTokenLogprobs() throws Exception {
        GenerationRequest request = question("¿Cuánto tarda en llegar mi pedido?", 12);
        Completion local = served.engine().generate(request, TokenListener.NONE).get();

        List<GeneratedToken> streamed = new ArrayList<>();
        Completion remote = remote(served.baseUrl(), ServedModel.API_KEY, 1).generate(request, streamed::add).get();

        assertThat(remote.text()).isEqualTo(local.text()).isNotEmpty();
        assertThat(String.join("", streamed.stream().map(GeneratedToken::text).toList())).isEqualTo(remote.text());
        assertThat(remote.meanLogProb()).isCloseTo(local.meanLogProb(), offset(1e-9));
        assertThat(remote.minTokenProb()).isCloseTo(local.minTokenProb(), offset(1e-9));
        assertThat(remote.promptTokens()).isEqualTo(local.promptTokens());
        assertThat(remote.completionTokens()).isEqualTo(local.completionTokens());
        assertThat(remote.stopReason()).isEqualTo(local.stopReason());
        assertThat(streamed.getFirst().alternatives()).hasSize(RemoteLanguageModel.ALTERNATIVES);
    }

    @Test
    void aServerWithoutLogprobsGivesNaNConfidenceInputsAndANoticeForAdmins() throws Exception {
        HttpServer proxy = withoutLogprobs(served.baseUrl());
        try {
            RemoteLanguageModel model = remote(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort() + "/v1"),
                    ServedModel.API_KEY, 1);
            Completion c = model.generate(question("Hola", 6), TokenListener.NONE).get();
            assertThat(c.text()).isNotEmpty();
            assertThat(c.meanLogProb()).isNaN();
            assertThat(c.minTokenProb()).isNaN();
            assertThat(model.notice()).contains("no token log-probabilities").contains("retrieval score");
        } finally {
            proxy.stop(0);
        }
    }

    @Test
    void theCircuitOpensWhileTheServerIsDownAndClosesWhenATrialCallSucceeds() throws Exception {
        RemoteLanguageModel model = remote(served.baseUrl(), ServedModel.API_KEY, 1);
        served.stop();

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> model.generate(question("Hola", 2), TokenListener.NONE).get())
                    .cause().isInstanceOf(GenerationException.class).hasMessageContaining("cannot be reached");
        }
        assertThat(model.circuitState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThatThrownBy(() -> model.generate(question("Hola", 2), TokenListener.NONE).get())
                .cause().isInstanceOf(GenerationException.class).hasMessageContaining("circuit breaker is open");

        served.start();
        // still open: the waiting period has not passed
        assertThatThrownBy(() -> model.generate(question("Hola", 2), TokenListener.NONE).get())
                .cause().hasMessageContaining("circuit breaker is open");
        clock.advance(Duration.ofSeconds(31));
        assertThat(model.generate(question("Hola", 2), TokenListener.NONE).get().text()).isNotEmpty();
        assertThat(model.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aFailingServerIsRetriedBeforeTheFailureIsReported() {
        served.stop();
        RemoteLanguageModel model = remote(served.baseUrl(), ServedModel.API_KEY, 3);
        assertThatThrownBy(() -> model.generate(question("Hola", 2), TokenListener.NONE).get())
                .isInstanceOf(ExecutionException.class).cause().hasMessageContaining("after 3 tries");
    }

    @Test
    void requestFaultsAreNeitherRetriedNorCountedAgainstTheServer() {
        RemoteLanguageModel model = remote(served.baseUrl(), "sk-wrong", 3);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> model.generate(question("Hola", 2), TokenListener.NONE).get())
                    .cause().hasMessageContaining("401").hasMessageNotContaining("tries");
        }
        assertThat(model.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);

        RemoteLanguageModel keyed = remote(served.baseUrl(), ServedModel.API_KEY, 3);
        assertThatThrownBy(() -> keyed.generate(question("pedido ".repeat(3000), 2), TokenListener.NONE).get())
                .cause().isInstanceOf(ContextOverflowException.class);
        assertThat(keyed.circuitState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    /** A server that ignores logprobs: forwards to {@code target} with the logprobs fields taken out. */
    static HttpServer withoutLogprobs(URI target) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        HttpServer proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            ObjectNode body = (ObjectNode) JSON.readTree(exchange.getRequestBody().readAllBytes());
            body.remove("logprobs");
            body.remove("top_logprobs");
            String path = exchange.getRequestURI().getPath().replaceFirst("^/v1/", "");
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(target + "/" + path))
                        .header("Authorization", exchange.getRequestHeaders().getFirst("Authorization"))
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                exchange.getResponseHeaders().set("Content-Type", r.headers().firstValue("Content-Type").orElse(""));
                exchange.sendResponseHeaders(r.statusCode(), r.body().length);
                exchange.getResponseBody().write(r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        proxy.start();
        return proxy;
    }
}
