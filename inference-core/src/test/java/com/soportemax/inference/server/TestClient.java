package com.soportemax.inference.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A plain HTTP client for the server under test, as any OpenAI client library would call it. */
record TestClient(int port, String apiKey) {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    record Response(int status, String contentType, String body) {
        Map<String, Object> json() {
            return object(body);
        }

        /** The {@code data:} payloads of a server-sent event stream. */
        List<String> events() {
            return dataLines(body);
        }
    }

    Response get(String path) throws IOException, InterruptedException {
        return send(request(path).GET());
    }

    Response post(String path, String json) throws IOException, InterruptedException {
        return send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpRequest.Builder request(String path) {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofMinutes(2));
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    private static Response send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
    }

    static Map<String, Object> object(String json) {
        return OpenAiShapes.object(json);
    }

    static List<String> dataLines(String stream) {
        return stream.lines().filter(l -> l.startsWith("data: ")).map(l -> l.substring(6)).toList();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        Json.string(sb, s);
        return sb.toString();
    }
}
