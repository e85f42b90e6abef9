package com.soportemax.inference.server;

import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.LanguageModels;
import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.synthetic.SyntheticVocabulary;
import com.soportemax.inference.tensor.GgmlType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static com.soportemax.inference.server.OpenAiShapes.assertSameShape;
import static com.soportemax.inference.server.OpenAiShapes.recorded;
import static com.soportemax.inference.server.OpenAiShapes.recordedEvents;
import static org.assertj.core.api.Assertions.assertThat;

/** The server on a random-weight model, held against recorded shapes of OpenAI's answers. */
class OpenAiServerTests {

    static final String KEY = "sk-test-key";
    static LanguageModel model;
    static OpenAiServer server;
    static TestClient client;

    @BeforeAll
    static void start() throws IOException {
        Path file = Files.createTempDirectory("serve").resolve("tiny-q8_0.gguf");
        RandomModel.write(ModelShape.TINY, GgmlType.Q8_0, SyntheticVocabulary.forShape("tiny"), 7, id -> false, file);
        model = LanguageModels.load(file, new EngineOptions(2, 4, 16, 256));
        server = OpenAiServer.start(model, null, new OpenAiServer.Settings("127.0.0.1", 0, Optional.of(KEY), "tiny",
                Optional.empty(), 16, Duration.ofMinutes(2)));
        client = new TestClient(server.port(), KEY);
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    static String chatBody(String extra) {
        return """
                {"model": "tiny", "messages": [{"role": "system", "content": "Eres un agente de soporte."},
                 {"role": "user", "content": "¿Dónde está mi pedido?"}], "temperature": 0, "max_tokens": 8%s}
                """.formatted(extra);
    }

    @Test
    void chatCompletionHasOpenAisShapeWithLogprobsThatAddUpToTheText() throws Exception {
        var response = client.post("/v1/chat/completions", chatBody(", \"logprobs\": true, \"top_logprobs\": 2"));
        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> body = response.json();
        assertSameShape(recorded("chat-completion.json"), body);

        Map<String, Object> choice = first(body, "choices");
        String content = (String) ((Map<?, ?>) choice.get("message")).get("content");
        List<Map<String, Object>> tokens = list(((Map<?, ?>) choice.get("logprobs")).get("content"));
        assertThat(String.join("", tokens.stream().map(t -> (String) t.get("token")).toList())).isEqualTo(content);
        for (Map<String, Object> t : tokens) {
            assertThat(decimal(t.get("logprob"))).isLessThanOrEqualTo(0);
            List<Map<String, Object>> top = list(t.get("top_logprobs"));
            assertThat(top).hasSize(2);
            assertThat(decimal(top.get(0).get("logprob"))).isGreaterThanOrEqualTo(decimal(top.get(1).get("logprob")));
        }
        Map<String, Object> usage = map(body.get("usage"));
        assertThat(number(usage.get("completion_tokens"))).isEqualTo(tokens.size());
        assertThat(number(usage.get("total_tokens")))
                .isEqualTo(number(usage.get("prompt_tokens")) + number(usage.get("completion_tokens")));
        if (choice.get("finish_reason").equals("length")) assertThat(tokens).hasSize(8);
    }

    @Test
    void streamedChatArrivesInChunksEndingInDoneAndSaysWhatTheWholeAnswerSays() throws Exception {
        String whole = chatContent(client.post("/v1/chat/completions", chatBody("")).json());

        var response = client.post("/v1/chat/completions", chatBody(
                ", \"stream\": true, \"stream_options\": {\"include_usage\": true}, \"logprobs\": true"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.contentType()).startsWith("text/event-stream");
        List<String> events = response.events();
        List<String> expected = recordedEvents("chat-completion-stream.txt");
        assertThat(events.getLast()).isEqualTo("[DONE]");
        assertThat(expected.getLast()).isEqualTo("[DONE]");

        List<Map<String, Object>> chunks = events.subList(0, events.size() - 1).stream().map(TestClient::object).toList();
        assertSameShape(OpenAiShapes.object(expected.get(0)), chunks.getFirst());
        StringBuilder text = new StringBuilder();
        for (Map<String, Object> chunk : chunks.subList(1, chunks.size() - 2)) {
            assertSameShape(OpenAiShapes.object(expected.get(1)), chunk);
            text.append((String) map(first(chunk, "choices").get("delta")).get("content"));
        }
        assertSameShape(OpenAiShapes.object(expected.get(2)), chunks.get(chunks.size() - 2));
        assertThat(first(chunks.get(chunks.size() - 2), "choices").get("finish_reason")).isIn("stop", "length");
        Map<String, Object> usageChunk = chunks.getLast();
        assertSameShape(OpenAiShapes.object(expected.get(3)), usageChunk);
        assertThat(list(usageChunk.get("choices"))).isEmpty();
        assertThat(number(map(usageChunk.get("usage")).get("completion_tokens"))).isEqualTo(chunks.size() - 3);
        assertThat(text.toString()).isEqualTo(whole);
        assertThat(chunks).extracting(c -> c.get("id")).containsOnly(chunks.getFirst().get("id"));
    }

    @Test
    void sameSeedGivesTheSameSampledAnswer() throws Exception {
        String body = chatBody("").replace("\"temperature\": 0", "\"temperature\": 1.5, \"seed\": 42");
        String a = chatContent(client.post("/v1/chat/completions", body).json());
        String b = chatContent(client.post("/v1/chat/completions", body).json());
        assertThat(a).isEqualTo(b).isNotEmpty();
    }

    @Test
    void stopStringEndsTheAnswerBeforeIt() throws Exception {
        String whole = chatContent(client.post("/v1/chat/completions", chatBody("")).json());
        assertThat(whole.length()).isGreaterThan(4);
        String stop = whole.substring(whole.length() / 2, whole.length() / 2 + 2);
        var response = client.post("/v1/chat/completions", chatBody(", \"stop\": [" + TestClient.quote(stop) + "]"));
        Map<String, Object> choice = first(response.json(), "choices");
        String content = (String) map(choice.get("message")).get("content");
        assertThat(content).isEqualTo(whole.substring(0, whole.indexOf(stop)));
        assertThat(choice.get("finish_reason")).isEqualTo("stop");
    }

    @Test
    void completionsEndpointAnswersWholeAndStreamedInTheLegacyShape() throws Exception {
        String body = """
                {"model": "tiny", "prompt": "Hola, quiero devolver", "max_tokens": 6, "temperature": 0, "logprobs": 1}""";
        var whole = client.post("/v1/completions", body);
        assertThat(whole.status()).isEqualTo(200);
        assertSameShape(recorded("completion.json"), whole.json());
        Map<String, Object> choice = first(whole.json(), "choices");
        Map<String, Object> logprobs = map(choice.get("logprobs"));
        assertThat(String.join("", ((List<?>) logprobs.get("tokens")).stream().map(String::valueOf).toList()))
                .isEqualTo(choice.get("text"));

        var streamed = client.post("/v1/completions", body.replace("\"logprobs\": 1", "\"stream\": true"));
        List<String> events = streamed.events();
        List<String> expected = recordedEvents("completion-stream.txt");
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 2)) {
            assertSameShape(OpenAiShapes.object(expected.getFirst()), TestClient.object(e));
            text.append((String) first(TestClient.object(e), "choices").get("text"));
        }
        assertSameShape(OpenAiShapes.object(expected.get(1)), TestClient.object(events.get(events.size() - 2)));
        assertThat(text.toString()).isEqualTo(choice.get("text"));
    }

    @Test
    void modelsListsTheServedModel() throws Exception {
        var response = client.get("/v1/models");
        assertSameShape(recorded("models.json"), response.json());
        assertThat(first(response.json(), "data").get("id")).isEqualTo("tiny");
        assertThat(client.get("/v1/models/tiny").json().get("id")).isEqualTo("tiny");
        assertThat(client.get("/v1/models/gpt-4").status()).isEqualTo(404);
    }

    @Test
    void aWrongOrMissingApiKeyIs401InOpenAisErrorShape() throws Exception {
        var wrong = new TestClient(server.port(), "sk-wrong").post("/v1/chat/completions", chatBody(""));
        assertThat(wrong.status()).isEqualTo(401);
        assertSameShape(recorded("error-invalid-api-key.json"), wrong.json());
        assertThat(map(wrong.json().get("error")).get("code")).isEqualTo("invalid_api_key");
        var missing = new TestClient(server.port(), null).get("/v1/models");
        assertThat(missing.status()).isEqualTo(401);
        assertThat((String) map(missing.json().get("error")).get("message")).contains("Authorization: Bearer");
        // probes and scrapers need no key
        assertThat(new TestClient(server.port(), null).get("/health").status()).isEqualTo(200);
    }

    @Test
    void badFieldsAre400NamingTheField() throws Exception {
        assertBadRequest("/v1/chat/completions", chatBody("").replace("\"temperature\": 0", "\"temperature\": \"hot\""),
                "temperature", "invalid_type");
        assertBadRequest("/v1/chat/completions", chatBody("").replace("\"temperature\": 0", "\"temperature\": 3"),
                "temperature", "invalid_value");
        assertBadRequest("/v1/chat/completions", "{\"model\": \"tiny\"}", "messages", "missing_required_parameter");
        assertBadRequest("/v1/chat/completions", chatBody(", \"logprobs\": true, \"top_logprobs\": 21"), "top_logprobs",
                "invalid_value");
        assertBadRequest("/v1/chat/completions", chatBody(", \"top_logprobs\": 2"), "top_logprobs", "invalid_value");
        assertBadRequest("/v1/chat/completions", chatBody("").replace("\"system\"", "\"tool\""), "messages[0].role",
                "invalid_value");
        assertBadRequest("/v1/chat/completions", chatBody(", \"max_tokens\": 0").replace("\"max_tokens\": 8,", ""),
                "max_tokens", "invalid_value");
        assertBadRequest("/v1/chat/completions", chatBody(", \"stop\": [\"a\", \"b\", \"c\", \"d\", \"e\"]"), "stop",
                "invalid_value");
        assertBadRequest("/v1/completions", "{\"prompt\": 5}", "prompt", "invalid_type");
        var broken = client.post("/v1/chat/completions", "{\"messages\": [");
        assertThat(broken.status()).isEqualTo(400);
        assertThat((String) map(broken.json().get("error")).get("message")).contains("JSON");
    }

    private static void assertBadRequest(String path, String body, String param, String code) throws Exception {
        var response = client.post(path, body);
        assertThat(response.status()).as(body).isEqualTo(400);
        assertSameShape(recorded("error-invalid-type.json"), response.json());
        Map<String, Object> error = map(response.json().get("error"));
        assertThat(error.get("param")).as(body).isEqualTo(param);
        assertThat(error.get("code")).as(body).isEqualTo(code);
        assertThat((String) error.get("message")).contains(param.replaceAll("\\[.*", ""));
    }

    @Test
    void aPromptBeyondTheContextWindowIs400ContextLengthExceeded() throws Exception {
        String longText = "pedido ".repeat(400);
        var response = client.post("/v1/chat/completions", chatBody("").replace("¿Dónde está mi pedido?", longText));
        assertThat(response.status()).isEqualTo(400);
        assertThat(map(response.json().get("error")).get("code")).isEqualTo("context_length_exceeded");
        var streamed = client.post("/v1/chat/completions", chatBody(", \"stream\": true")
                .replace("¿Dónde está mi pedido?", longText));
        assertThat(streamed.status()).isEqualTo(400);
    }

    @Test
    void unknownModelsPathsAndMethodsAreRefusedClearly() throws Exception {
        var model = client.post("/v1/chat/completions", chatBody("").replace("\"model\": \"tiny\"", "\"model\": \"gpt-4\""));
        assertThat(model.status()).isEqualTo(404);
        assertThat(map(model.json().get("error")).get("code")).isEqualTo("model_not_found");
        assertThat(client.get("/v1/assistants").status()).isEqualTo(404);
        assertThat(client.get("/v1/chat/completions").status()).isEqualTo(405);
    }

    @Test
    void embeddingsWithoutAnEmbeddingModelAre404SayingHowToServeOne() throws Exception {
        var response = client.post("/v1/embeddings", "{\"input\": \"hola\"}");
        assertThat(response.status()).isEqualTo(404);
        assertThat((String) map(response.json().get("error")).get("message")).contains("--embedding-model");
    }

    @Test
    void concurrentStreamsAllFinish() throws Exception {
        List<CompletableFuture<List<String>>> streams = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String body = chatBody(", \"stream\": true, \"seed\": " + i).replace("\"temperature\": 0", "\"temperature\": 1");
            streams.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return client.post("/v1/chat/completions", body).events();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (var s : streams) assertThat(s.get().getLast()).isEqualTo("[DONE]");
    }

    @Test
    void metricsCountRequestsAndTokensInPrometheusText() throws Exception {
        long before = server.metrics().requests("/v1/chat/completions", 200);
        var answer = client.post("/v1/chat/completions", chatBody(""));
        long completionTokens = number(map(answer.json().get("usage")).get("completion_tokens"));
        // the counter moves as the answer's last byte leaves, so the client can be a moment ahead of it
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.metrics().requests("/v1/chat/completions", 200) == before && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        var metrics = new TestClient(server.port(), null).get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.contentType()).startsWith("text/plain; version=0.0.4");
        String text = metrics.body();
        assertThat(text).contains("# TYPE soportemax_requests_total counter")
                .contains("soportemax_requests_total{endpoint=\"/v1/chat/completions\",status=\"200\"} " + (before + 1))
                .contains("soportemax_generations_queued ")
                .contains("soportemax_time_to_first_token_seconds_bucket{le=\"+Inf\"}")
                .contains("soportemax_request_duration_seconds_count");
        long counted = Long.parseLong(text.lines().filter(l -> l.startsWith("soportemax_completion_tokens_total "))
                .findFirst().orElseThrow().split(" ")[1]);
        assertThat(counted).isGreaterThanOrEqualTo(completionTokens);
    }

    static String chatContent(Map<String, Object> body) {
        return (String) map(first(body, "choices").get("message")).get("content");
    }

    static Map<String, Object> first(Map<String, Object> body, String key) {
        return list(body.get(key)).getFirst();
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    static long number(Object o) {
        return o instanceof BigDecimal d ? d.setScale(0, java.math.RoundingMode.FLOOR).longValue() : Long.MIN_VALUE;
    }

    static double decimal(Object o) {
        return ((BigDecimal) o).doubleValue();
    }
}
