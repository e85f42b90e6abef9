package com.soportemax.inference.server;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.LanguageModel;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The engine as an OpenAI-compatible HTTP server: {@code POST /v1/chat/completions}, {@code POST /v1/completions}
 * (streamed as server-sent events ending in {@code data: [DONE]}, or whole), {@code POST /v1/embeddings},
 * {@code GET /v1/models}, {@code GET /health} and Prometheus metrics on {@code GET /metrics}. Each request runs on a
 * virtual thread; how many generations run at once, and how many wait, is the {@link LanguageModel}'s business.
 * With an API key, every {@code /v1/} request must carry {@code Authorization: Bearer <key>}; health and metrics
 * stay open for probes and scrapers.
 */
public final class OpenAiServer implements AutoCloseable {

    /**
     * @param modelId          the name clients use in {@code model} and see in {@code /v1/models}
     * @param embeddingModelId the name of the embedding model, when one is served
     * @param defaultMaxTokens completion length when a request sets no {@code max_tokens}
     * @param timeout          the longest a generation may take, queue wait included
     */
    public record Settings(String host, int port, Optional<String> apiKey, String modelId,
                           Optional<String> embeddingModelId, int defaultMaxTokens, Duration timeout) {

        public Settings {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(apiKey, "apiKey");
            Objects.requireNonNull(modelId, "modelId");
            Objects.requireNonNull(embeddingModelId, "embeddingModelId");
            Objects.requireNonNull(timeout, "timeout");
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be in 0..65535, was " + port);
            if (defaultMaxTokens < 1) throw new IllegalArgumentException("defaultMaxTokens must be >= 1");
            apiKey = apiKey.filter(k -> !k.isBlank());
        }
    }

    static final long MAX_BODY_BYTES = 8L << 20;
    private static final Set<String> ENDPOINTS = Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings",
            "/v1/models", "/health", "/metrics");

    private final Settings settings;
    private final HttpServer http;
    private final ExecutorService executor;
    private final ServerMetrics metrics = new ServerMetrics();
    private final Completions completions;
    private final Embeddings embeddings;

    private OpenAiServer(LanguageModel model, EmbeddingModel embeddingModel, Settings settings, Clock clock)
            throws IOException {
        this.settings = settings;
        this.completions = new Completions(model, settings, metrics, clock);
        this.embeddings = new Embeddings(embeddingModel, settings.embeddingModelId().orElse(null));
        this.http = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 128);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        http.setExecutor(executor);
        http.createContext("/", this::handle);
    }

    /**
     * Binds and starts serving.
     *
     * @param embeddingModel null when no embedding model is served ({@code /v1/embeddings} then answers 404)
     */
    public static OpenAiServer start(LanguageModel model, EmbeddingModel embeddingModel, Settings settings)
            throws IOException {
        Objects.requireNonNull(model, "model");
        OpenAiServer server = new OpenAiServer(model, embeddingModel, settings, Clock.systemUTC());
        server.http.start();
        return server;
    }

    /** The port the server listens on (the bound one when {@link Settings#port()} was 0). */
    public int port() {
        return http.getAddress().getPort();
    }

    ServerMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        http.stop(1);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) {
        long start = System.nanoTime();
        String path = exchange.getRequestURI().getPath();
        int status;
        try {
            status = route(exchange, path);
        } catch (ApiException e) {
            status = error(exchange, e);
        } catch (IOException e) {
            status = 499; // the client went away mid-answer
        } catch (RuntimeException e) {
            status = error(exchange, new ApiException(500, "server_error", null, null,
                    "The server had an error while processing your request: " + e));
        }
        String endpoint = ENDPOINTS.contains(path) ? path : path.startsWith("/v1/models/") ? "/v1/models" : "other";
        metrics.requestFinished(endpoint, status, System.nanoTime() - start);
        exchange.close();
    }

    private int route(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        switch (path) {
            case "/health" -> {
                requireMethod(method, "GET", path);
                return Responses.json(exchange, 200, Map.of("status", "ok", "model", settings.modelId()));
            }
            case "/metrics" -> {
                requireMethod(method, "GET", path);
                return Responses.text(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", metrics.render());
            }
            default -> {
            }
        }
        if (!path.startsWith("/v1/")) throw notFound(method, path);
        authorize(exchange);
        return switch (path) {
            case "/v1/chat/completions" -> {
                requireMethod(method, "POST", path);
                yield completions.chat(exchange, body(exchange));
            }
            case "/v1/completions" -> {
                requireMethod(method, "POST", path);
                yield completions.text(exchange, body(exchange));
            }
            case "/v1/embeddings" -> {
                requireMethod(method, "POST", path);
                yield embeddings.embed(exchange, body(exchange));
            }
            case "/v1/models" -> {
                requireMethod(method, "GET", path);
                List<Object> data = new ArrayList<>();
                data.add(modelEntry(settings.modelId()));
                settings.embeddingModelId().ifPresent(id -> data.add(modelEntry(id)));
                Map<String, Object> list = new LinkedHashMap<>();
                list.put("object", "list");
                list.put("data", data);
                yield Responses.json(exchange, 200, list);
            }
            default -> {
                if (path.startsWith("/v1/models/")) {
                    requireMethod(method, "GET", path);
                    String id = path.substring("/v1/models/".length());
                    if (id.equals(settings.modelId()) || settings.embeddingModelId().filter(id::equals).isPresent()) {
                        yield Responses.json(exchange, 200, modelEntry(id));
                    }
                    throw modelNotFound(id);
                }
                throw notFound(method, path);
            }
        };
    }

    private Map<String, Object> modelEntry(String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", completions.created());
        m.put("owned_by", "soportemax");
        return m;
    }

    static ApiException modelNotFound(String id) {
        return new ApiException(404, "invalid_request_error", "model", "model_not_found",
                "The model '" + id + "' does not exist on this server; GET /v1/models lists the served models.");
    }

    private static ApiException notFound(String method, String path) {
        return new ApiException(404, "invalid_request_error", null, "unknown_url",
                "Invalid URL (" + method + " " + path + ").");
    }

    private static void requireMethod(String method, String expected, String path) {
        if (!method.equals(expected)) {
            throw new ApiException(405, "invalid_request_error", null, "method_not_allowed",
                    "Method " + method + " is not allowed on " + path + "; use " + expected + ".");
        }
    }

    private void authorize(HttpExchange exchange) {
        if (settings.apiKey().isEmpty()) return;
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
        byte[] expected = settings.apiKey().get().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            throw new ApiException(401, "invalid_request_error", null, "invalid_api_key", header == null
                    ? "You didn't provide an API key. Send it in the Authorization header: 'Authorization: Bearer KEY'."
                    : "Incorrect API key provided. Use the key the server was started with (--api-key).");
        }
    }

    private static RequestBody body(HttpExchange exchange) throws IOException {
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes((int) MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new ApiException(413, "invalid_request_error", null, "request_too_large",
                    "The request body is larger than " + (MAX_BODY_BYTES >> 20) + " MB.");
        }
        return RequestBody.parse(new String(bytes, StandardCharsets.UTF_8));
    }

    private static int error(HttpExchange exchange, ApiException e) {
        try {
            if (exchange.getResponseCode() != -1) return exchange.getResponseCode(); // headers already sent
            if (e.status() == 401) exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            return Responses.json(exchange, e.status(), Responses.error(e));
        } catch (IOException io) {
            return 499;
        }
    }
}
