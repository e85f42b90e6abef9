package com.soportemax.inference.server;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** A JSON request object read field by field; a wrong or missing field is a 400 that names it. */
record RequestBody(Map<String, Object> fields) {

    @SuppressWarnings("unchecked")
    static RequestBody parse(String text) {
        Object value;
        try {
            value = Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw ApiException.invalid(null, "We could not parse the JSON body of your request (" + e.getMessage()
                    + "). The body must be a JSON object.");
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw ApiException.invalid(null, "The body of your request must be a JSON object.");
        }
        return new RequestBody((Map<String, Object>) map);
    }

    boolean has(String name) {
        return fields.get(name) != null;
    }

    Object raw(String name) {
        return fields.get(name);
    }

    Optional<String> string(String name) {
        Object v = fields.get(name);
        if (v == null) return Optional.empty();
        if (v instanceof String s) return Optional.of(s);
        throw ApiException.invalidType(name, "Invalid type for '" + name + "': expected a string, but got " + kind(v) + ".");
    }

    boolean bool(String name, boolean fallback) {
        Object v = fields.get(name);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        throw ApiException.invalidType(name, "Invalid type for '" + name + "': expected a boolean, but got " + kind(v) + ".");
    }

    double decimal(String name, double fallback, double min, double max) {
        Object v = fields.get(name);
        if (v == null) return fallback;
        if (!(v instanceof BigDecimal d)) {
            throw ApiException.invalidType(name, "Invalid type for '" + name + "': expected a number, but got " + kind(v) + ".");
        }
        double x = d.doubleValue();
        if (!(x >= min && x <= max)) {
            throw ApiException.invalid(name, "Invalid '" + name + "': " + d.toPlainString() + " is not between " + min
                    + " and " + max + ".");
        }
        return x;
    }

    OptionalLong integer(String name, long min, long max) {
        Object v = fields.get(name);
        if (v == null) return OptionalLong.empty();
        if (!(v instanceof BigDecimal d)) {
            throw ApiException.invalidType(name, "Invalid type for '" + name + "': expected an integer, but got " + kind(v) + ".");
        }
        long x;
        try {
            x = d.longValueExact();
        } catch (ArithmeticException e) {
            throw ApiException.invalid(name, "Invalid '" + name + "': " + d.toPlainString() + " is not an integer.");
        }
        if (x < min || x > max) {
            throw ApiException.invalid(name, "Invalid '" + name + "': " + x + " is not between " + min + " and " + max + ".");
        }
        return OptionalLong.of(x);
    }

    /** A string, or an array of strings (OpenAI's {@code stop}, {@code input}). */
    List<String> strings(String name, int maxCount) {
        Object v = fields.get(name);
        if (v == null) return List.of();
        if (v instanceof String s) return List.of(s);
        if (v instanceof List<?> list) {
            if (list.size() > maxCount) {
                throw ApiException.invalid(name, "Invalid '" + name + "': at most " + maxCount + " items, got "
                        + list.size() + ".");
            }
            for (Object o : list) {
                if (!(o instanceof String)) {
                    throw ApiException.invalid(name, "Invalid '" + name + "': expected a string or an array of strings, "
                            + "but an item is " + kind(o) + ".");
                }
            }
            return list.stream().map(String.class::cast).toList();
        }
        throw ApiException.invalidType(name, "Invalid type for '" + name + "': expected a string or an array of strings, "
                + "but got " + kind(v) + ".");
    }

    @SuppressWarnings("unchecked")
    Optional<RequestBody> object(String name) {
        Object v = fields.get(name);
        if (v == null) return Optional.empty();
        if (v instanceof Map<?, ?> m) return Optional.of(new RequestBody((Map<String, Object>) m));
        throw ApiException.invalidType(name, "Invalid type for '" + name + "': expected an object, but got " + kind(v) + ".");
    }

    static String kind(Object v) {
        return switch (v) {
            case null -> "null";
            case String s -> "a string";
            case BigDecimal d -> "a number";
            case Boolean b -> "a boolean";
            case List<?> l -> "an array";
            case Map<?, ?> m -> "an object";
            default -> v.getClass().getSimpleName();
        };
    }
}
