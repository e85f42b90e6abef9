package com.soportemax.inference.server;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.EmbeddingModels;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.LanguageModels;
import com.soportemax.inference.testing.SharedData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.soportemax.inference.server.OpenAiServerTests.list;
import static com.soportemax.inference.server.OpenAiServerTests.map;
import static com.soportemax.inference.server.OpenAiShapes.assertSameShape;
import static com.soportemax.inference.server.OpenAiShapes.recorded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

/** {@code /v1/embeddings} on the trained all-MiniLM-L6-v2 encoder from ../shared/models. */
class EmbeddingsServerTests {

    static LanguageModel chat;
    static EmbeddingModel embeddings;
    static OpenAiServer server;
    static TestClient client;

    @BeforeAll
    static void start() throws Exception {
        var encoder = SharedData.require("models/all-minilm-l6-v2-f16.gguf");
        var stories = SharedData.require("models/tinystories-656k-q8_0.gguf");
        chat = LanguageModels.load(stories, new EngineOptions(2, 1, 4, 512));
        embeddings = EmbeddingModels.load(encoder, new EngineOptions(2, 1, 0, 0));
        server = OpenAiServer.start(chat, embeddings, new OpenAiServer.Settings("127.0.0.1", 0, Optional.empty(),
                "tinystories", Optional.of("all-minilm-l6-v2-f16"), 16, Duration.ofMinutes(1)));
        client = new TestClient(server.port(), null);
    }

    @AfterAll
    static void stop() {
        if (server != null) server.close();
        if (embeddings != null) embeddings.close();
        if (chat != null) chat.close();
    }

    @Test
    void embeddingsHaveOpenAisShapeAndTheEncodersVectorsInInputOrder() throws Exception {
        List<String> texts = List.of("How do I reset my password?", "I forgot my password and need to change it.",
                "The weather is sunny today.");
        var response = client.post("/v1/embeddings", """
                {"model": "all-minilm-l6-v2-f16", "input": ["%s", "%s", "%s"]}""".formatted(texts.toArray()));
        assertThat(response.status()).isEqualTo(200);
        assertSameShape(recorded("embeddings.json"), response.json());
        List<Map<String, Object>> data = list(response.json().get("data"));
        assertThat(data).hasSize(3);
        float[][] vectors = new float[3][];
        for (int i = 0; i < 3; i++) {
            assertThat(((BigDecimal) data.get(i).get("index")).intValue()).isEqualTo(i);
            vectors[i] = floats((List<?>) data.get(i).get("embedding"));
            float[] direct = embeddings.embed(texts.get(i));
            assertThat(vectors[i]).hasSize(embeddings.dimension());
            for (int d = 0; d < direct.length; d++) assertThat(vectors[i][d]).isCloseTo(direct[d], offset(1e-6f));
        }
        assertThat(dot(vectors[0], vectors[1])).isGreaterThan(dot(vectors[0], vectors[2]) + 0.5);
        assertThat(client.get("/v1/models").body()).contains("all-minilm-l6-v2-f16");
    }

    @Test
    void base64EncodingCarriesTheSameFloats() throws Exception {
        String body = "{\"input\": \"¿Dónde está mi pedido?\"%s}";
        var asFloats = client.post("/v1/embeddings", body.formatted(""));
        var asBase64 = client.post("/v1/embeddings", body.formatted(", \"encoding_format\": \"base64\""));
        float[] expected = floats((List<?>) list(asFloats.json().get("data")).getFirst().get("embedding"));
        byte[] bytes = Base64.getDecoder().decode((String) list(asBase64.json().get("data")).getFirst().get("embedding"));
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bytes).hasSize(expected.length * 4);
        for (float f : expected) assertThat(b.getFloat()).isEqualTo(f);
    }

    @Test
    void badInputIs400NamingTheField() throws Exception {
        for (String body : List.of("{}", "{\"input\": \"\"}", "{\"input\": [1, 2, 3]}",
                "{\"input\": \"hola\", \"encoding_format\": \"int8\"}")) {
            var response = client.post("/v1/embeddings", body);
            assertThat(response.status()).as(body).isEqualTo(400);
            assertThat(map(response.json().get("error")).get("param")).as(body)
                    .isIn("input", "encoding_format");
        }
    }

    private static float[] floats(List<?> values) {
        float[] f = new float[values.size()];
        for (int i = 0; i < f.length; i++) f[i] = ((BigDecimal) values.get(i)).floatValue();
        return f;
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
