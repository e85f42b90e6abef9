package com.soportemax.assistant.remote;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.ModelInfo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Sentence embeddings from an OpenAI-compatible server's {@code POST /v1/embeddings}, L2-normalised here. */
public final class RemoteEmbeddingModel implements EmbeddingModel {

    private final OpenAiClient client;
    private final String model;
    private volatile int dimension = -1;

    public RemoteEmbeddingModel(InferenceSettings settings, JsonMapper json) {
        var e = settings.embeddings();
        this.client = new OpenAiClient(e.baseUrl(), e.apiKey(), settings.connectTimeout(), settings.tokenTimeout(), json);
        this.model = e.model();
    }

    @Override
    public int dimension() {
        if (dimension < 0) dimension = embed("dimension").length;
        return dimension;
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo(model, "remote", 0, 0, "remote", 0, "none");
    }

    @Override
    public float[] embed(String text) {
        return embedAll(List.of(text)).getFirst();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        JsonNode answer;
        try {
            answer = client.post("embeddings", Map.of("model", model, "input", texts, "encoding_format", "float"));
        } catch (IOException e) {
            throw new UncheckedIOException("the embedding server failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for embeddings", e);
        }
        float[][] vectors = new float[texts.size()][];
        for (JsonNode item : answer.path("data")) {
            int index = item.path("index").asInt(-1);
            if (index < 0 || index >= vectors.length) {
                throw new IllegalStateException("the embedding server answered an item with index " + index);
            }
            JsonNode values = item.path("embedding");
            float[] v = new float[values.size()];
            for (int i = 0; i < v.length; i++) v[i] = (float) values.path(i).asDouble();
            vectors[index] = normalised(v);
        }
        List<float[]> out = new ArrayList<>(vectors.length);
        for (int i = 0; i < vectors.length; i++) {
            if (vectors[i] == null) throw new IllegalStateException("the embedding server sent no vector for input " + i);
            out.add(vectors[i]);
        }
        return out;
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float f : v) norm += f * f;
        norm = Math.sqrt(norm);
        if (norm > 0) for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / norm);
        return v;
    }

    @Override
    public void close() {
    }
}
