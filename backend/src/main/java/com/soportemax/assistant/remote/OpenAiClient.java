package com.soportemax.assistant.remote;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * HTTP to an OpenAI-compatible server: JSON requests, whole or streamed (server-sent events) answers. Failures are
 * sorted into those worth retrying (the server unreachable, overloaded, or failing: connection errors, timeouts,
 * 429 and 5xx) and those that are the request's fault (other 4xx), which retrying cannot mend.
 */
final class OpenAiClient {

    /** The server did not answer usefully. */
    static class ServerException extends IOException {
        private final int status;
        private final String code;

        ServerException(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        int status() { return status; }

        String code() { return code; }

        /** Worth another try, and a sign the server is down: unreachable, timing out, overloaded or failing. */
        boolean serverFault() {
            return status == 0 || status == 408 || status == 429 || status >= 500;
        }
    }

    private final URI baseUrl;
    private final String apiKey;
    private final Duration tokenTimeout;
    private final JsonMapper json;
    private final HttpClient http;

    OpenAiClient(URI baseUrl, String apiKey, Duration connectTimeout, Duration tokenTimeout, JsonMapper json) {
        String base = baseUrl.toString();
        this.baseUrl = URI.create(base.endsWith("/") ? base : base + "/");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.tokenTimeout = tokenTimeout;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    URI baseUrl() {
        return baseUrl;
    }

    JsonMapper json() {
        return json;
    }

    JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(path).GET(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw failure(r.statusCode(), r.body());
        return parse(r.body());
    }

    JsonNode post(String path, Object body) throws IOException, InterruptedException {
        HttpResponse<String> r = send(request(path).POST(body(body)), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw failure(r.statusCode(), r.body());
        return parse(r.body());
    }

    /**
     * Posts a streaming request and hands each event's JSON to {@code onEvent} until {@code data: [DONE]}.
     *
     * @param opened called once the server has accepted the request (status 200), before the first event; the
     *               returned stream can be closed from another thread to abandon the answer
     */
    void stream(String path, Object body, Consumer<InputStream> opened, Consumer<JsonNode> onEvent)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> r = send(request(path).header("Accept", "text/event-stream").POST(body(body)),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw failure(r.statusCode(), new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8));
            }
            opened.accept(in);
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = lines.readLine()) != null) {
                if (!line.startsWith("data:")) continue; // blank separators, comments, event names
                String data = line.substring(5).strip();
                if (data.equals("[DONE]")) return;
                JsonNode event = parse(data);
                if (event.has("error")) throw failure(500, data);
                onEvent.accept(event);
            }
            throw new ServerException(0, null, "the stream from " + baseUrl + path + " ended without data: [DONE]");
        }
    }

    private HttpRequest.Builder request(String path) {
        // the timeout covers the wait for the response headers: the server's queue and its prompt reading
        HttpRequest.Builder b = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(tokenTimeout)
                .header("Content-Type", "application/json");
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    private HttpRequest.BodyPublisher body(Object body) {
        return HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body));
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler)
            throws IOException, InterruptedException {
        try {
            return http.send(request.build(), handler);
        } catch (HttpTimeoutException e) {
            throw new ServerException(0, "timeout", baseUrl + " did not answer within " + tokenTimeout.toSeconds()
                    + " s");
        } catch (IOException e) {
            throw new ServerException(0, "unreachable", baseUrl + " cannot be reached: " + e);
        }
    }

    private JsonNode parse(String text) throws ServerException {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            throw new ServerException(0, "bad_json", baseUrl + " answered with something that is not JSON: "
                    + abbreviate(text));
        }
    }

    /** The server's own words from OpenAI's error shape, when it uses it. */
    private ServerException failure(int status, String body) {
        String message = abbreviate(body);
        String code = null;
        try {
            JsonNode error = json.readTree(body).path("error");
            if (error.isObject()) {
                message = error.path("message").asString(message);
                code = error.path("code").isString() ? error.path("code").asString() : null;
            } else if (error.isString()) {
                message = error.asString();
            }
        } catch (JacksonException ignored) {
            // not JSON: the raw text is the message
        }
        return new ServerException(status, code, baseUrl + " answered " + status + ": " + message);
    }

    private static String abbreviate(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "…";
    }
}
