package com.soportemax.inference.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Recorded OpenAI answers (test resources {@code openai/}) and the check that ours have their shape. */
final class OpenAiShapes {

    private OpenAiShapes() {
    }

    static Map<String, Object> recorded(String name) {
        return object(resource(name));
    }

    /** The {@code data:} payloads of a recorded server-sent event stream, in order. */
    static List<String> recordedEvents(String name) {
        return TestClient.dataLines(resource(name));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) {
        return (Map<String, Object>) Json.parse(json);
    }

    private static String resource(String name) {
        try (InputStream in = OpenAiShapes.class.getResourceAsStream("openai/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource openai/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every field of {@code expected} is in {@code actual} with the same JSON type, recursively; arrays are held to
     * their first recorded element. A recorded {@code null} matches anything, or nothing (OpenAI fills those fields
     * only on request). Extra fields in {@code actual} are allowed.
     */
    static void assertSameShape(Object expected, Object actual) {
        check(expected, actual, "$");
    }

    private static void check(Object expected, Object actual, String path) {
        if (expected == null) return;
        if (actual == null) fail(path + " is null, OpenAI sends " + kind(expected));
        assertThat(kind(actual)).as(path).isEqualTo(kind(expected));
        if (expected instanceof Map<?, ?> e && path.matches(".*\\.top_logprobs\\[\\d+]") && !e.containsKey("token")) {
            // the legacy completions API: a dictionary from token text to log-probability
            for (Object value : ((Map<?, ?>) actual).values()) check(e.values().iterator().next(), value, path + "{}");
        } else if (expected instanceof Map<?, ?> e) {
            Map<?, ?> a = (Map<?, ?>) actual;
            for (var entry : e.entrySet()) {
                if (entry.getValue() != null && !a.containsKey(entry.getKey())) {
                    fail(path + "." + entry.getKey() + " is missing; OpenAI sends it (" + kind(entry.getValue()) + ")");
                }
                check(entry.getValue(), a.get(entry.getKey()), path + "." + entry.getKey());
            }
        } else if (expected instanceof List<?> e && !e.isEmpty()) {
            List<?> a = (List<?>) actual;
            for (int i = 0; i < a.size(); i++) check(e.getFirst(), a.get(i), path + "[" + i + "]");
        }
    }

    private static String kind(Object v) {
        return switch (v) {
            case String s -> "string";
            case BigDecimal d -> "number";
            case Boolean b -> "boolean";
            case List<?> l -> "array";
            case Map<?, ?> m -> "object";
            default -> v.getClass().getSimpleName();
        };
    }
}
