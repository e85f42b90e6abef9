package com.soportemax.inference.server;

import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.LanguageModels;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.inference.engine.SamplingSettings;
import com.soportemax.inference.engine.TokenListener;
import com.soportemax.inference.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.soportemax.inference.server.OpenAiServerTests.first;
import static com.soportemax.inference.server.OpenAiServerTests.map;
import static com.soportemax.inference.server.OpenAiShapes.assertSameShape;
import static com.soportemax.inference.server.OpenAiShapes.recorded;
import static org.assertj.core.api.Assertions.assertThat;

/** The server on a trained model (TinyStories-656K from ../shared/models): real text, real log-probabilities. */
class TrainedModelServerTests {

    static LanguageModel model;
    static OpenAiServer server;
    static TestClient client;

    @BeforeAll
    static void start() throws Exception {
        Path file = SharedData.require("models/tinystories-656k-q8_0.gguf");
        model = LanguageModels.load(file, new EngineOptions(2, 2, 8, 512));
        server = OpenAiServer.start(model, null, new OpenAiServer.Settings("127.0.0.1", 0, Optional.empty(),
                "tinystories", Optional.empty(), 32, Duration.ofMinutes(2)));
        client = new TestClient(server.port(), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (model != null) model.close();
    }

    @Test
    void completionsGiveTheEnginesOwnStoryWithConfidentLogprobs() throws Exception {
        Completion direct = model.generate(new GenerationRequest(Prompt.raw("Once upon a time"), SamplingSettings.GREEDY,
                24, List.of(), Duration.ofMinutes(1)), TokenListener.NONE).get();

        var response = client.post("/v1/completions", """
                {"prompt": "Once upon a time", "max_tokens": 24, "temperature": 0, "logprobs": 3}""");
        assertThat(response.status()).isEqualTo(200);
        assertSameShape(recorded("completion.json"), response.json());
        Map<String, Object> choice = first(response.json(), "choices");
        assertThat(choice.get("text")).isEqualTo(direct.text());
        assertThat(direct.text()).containsPattern("[a-z]+ [a-z]+");

        List<?> logprobs = (List<?>) map(choice.get("logprobs")).get("token_logprobs");
        double mean = logprobs.stream().mapToDouble(v -> ((BigDecimal) v).doubleValue()).average().orElseThrow();
        assertThat(mean).isCloseTo(direct.meanLogProb(), org.assertj.core.data.Offset.offset(1e-6));
        // greedy decoding: each chosen token is the most likely of the alternatives the server lists for it
        List<?> alternatives = (List<?>) map(choice.get("logprobs")).get("top_logprobs");
        for (int i = 0; i < logprobs.size(); i++) {
            double chosen = ((BigDecimal) logprobs.get(i)).doubleValue();
            Map<?, ?> top = (Map<?, ?>) alternatives.get(i);
            assertThat(top).isNotEmpty();
            for (Object v : top.values()) assertThat(((BigDecimal) v).doubleValue()).isLessThanOrEqualTo(chosen + 1e-9);
        }
    }

    @Test
    void streamedStoryEqualsTheWholeOne() throws Exception {
        String body = """
                {"prompt": "Once upon a time", "max_tokens": 24, "temperature": 0%s}""";
        String whole = (String) first(client.post("/v1/completions", body.formatted("")).json(), "choices").get("text");
        List<String> events = client.post("/v1/completions", body.formatted(", \"stream\": true")).events();
        assertThat(events.getLast()).isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String e : events.subList(0, events.size() - 1)) {
            text.append((String) first(TestClient.object(e), "choices").get("text"));
        }
        assertThat(text.toString()).isEqualTo(whole);
    }
}
