package com.soportemax.inference.server;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writing answers: whole JSON bodies, plain text, OpenAI's error object, and server-sent event streams. */
final class Responses {

    private Responses() {
    }

    static int json(HttpExchange exchange, int status, Object body) throws IOException {
        return text(exchange, status, "application/json", Json.write(body));
    }

    static int text(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        return status;
    }

    static Map<String, Object> error(ApiException e) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("message", e.getMessage());
        error.put("type", e.type());
        error.put("param", e.param());
        error.put("code", e.code());
        return Map.of("error", error);
    }

    /** A {@code text/event-stream} answer: one {@code data: <json>} event per call, then {@code data: [DONE]}. */
    static final class EventStream {
        private final OutputStream out;

        EventStream(HttpExchange exchange) throws IOException {
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", "text/event-stream; charset=utf-8");
            headers.set("Cache-Control", "no-cache");
            // reverse proxies (nginx) must pass events on at once, not buffer them
            headers.set("X-Accel-Buffering", "no");
            exchange.sendResponseHeaders(200, 0);
            this.out = exchange.getResponseBody();
        }

        void send(Object event) throws IOException {
            write("data: " + Json.write(event) + "\n\n");
        }

        void done() throws IOException {
            write("data: [DONE]\n\n");
            out.close();
        }

        private void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
    }
}
