package com.soportemax.inference.server;

import com.soportemax.inference.engine.EmbeddingModel;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /v1/embeddings}: one vector per input string, as floats or base64 of little-endian float32. */
final class Embeddings {

    static final int MAX_INPUTS = 2048;

    private final EmbeddingModel model;
    private final String modelId;

    /** @param model null when the server runs no embedding model */
    Embeddings(EmbeddingModel model, String modelId) {
        this.model = model;
        this.modelId = modelId;
    }

    int embed(HttpExchange exchange, RequestBody body) throws IOException {
        if (model == null) {
            throw new ApiException(404, "invalid_request_error", "model", "model_not_found",
                    "This server runs no embedding model; start it with serve --embedding-model FILE.gguf.");
        }
        body.string("model").ifPresent(name -> {
            if (!name.equals(modelId)) throw OpenAiServer.modelNotFound(name);
        });
        if (body.raw("input") == null) throw ApiException.missing("input");
        Object raw = body.raw("input");
        if (raw instanceof List<?> l && !l.isEmpty() && !(l.getFirst() instanceof String)) {
            throw ApiException.invalid("input", "Invalid 'input': token arrays are not supported; send strings.");
        }
        List<String> inputs = body.strings("input", MAX_INPUTS);
        if (inputs.isEmpty()) throw ApiException.invalid("input", "Invalid 'input': expected at least one string.");
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i).isEmpty()) {
                throw ApiException.invalid("input", "Invalid 'input': item " + i + " is an empty string.");
            }
        }
        String format = body.string("encoding_format").orElse("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.invalid("encoding_format", "Invalid 'encoding_format': '" + format
                    + "'; use 'float' or 'base64'.");
        }
        var dimensions = body.integer("dimensions", 1, Integer.MAX_VALUE);
        if (dimensions.isPresent() && dimensions.getAsLong() != model.dimension()) {
            throw ApiException.invalid("dimensions", "Invalid 'dimensions': this model's vectors have "
                    + model.dimension() + " dimensions and cannot be shortened.");
        }
        List<float[]> vectors = model.embedAll(inputs);
        List<Object> data = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("object", "embedding");
            item.put("index", i);
            item.put("embedding", format.equals("float") ? vectors.get(i) : base64(vectors.get(i)));
            data.add(item);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("object", "list");
        answer.put("data", data);
        answer.put("model", modelId);
        // the embedding API does not report token counts
        answer.put("usage", Map.of("prompt_tokens", 0, "total_tokens", 0));
        return Responses.json(exchange, 200, answer);
    }

    private static String base64(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return Base64.getEncoder().encodeToString(b.array());
    }
}
