package com.soportemax.inference.cli;

import java.util.Locale;

/** Just enough JSON writing for the CLI's one-object outputs. */
final class Json {

    private final StringBuilder out = new StringBuilder("{");
    private boolean first = true;

    private Json key(String key) {
        if (!first) out.append(',');
        first = false;
        string(out, key);
        out.append(':');
        return this;
    }

    Json put(String key, String value) {
        key(key);
        string(out, value);
        return this;
    }

    Json put(String key, long value) {
        key(key).out.append(value);
        return this;
    }

    Json put(String key, double value) {
        key(key).out.append(number(value));
        return this;
    }

    Json put(String key, int[] values) {
        key(key).out.append('[');
        for (int i = 0; i < values.length; i++) out.append(i == 0 ? "" : ",").append(values[i]);
        out.append(']');
        return this;
    }

    Json put(String key, double[] values) {
        key(key).out.append('[');
        for (int i = 0; i < values.length; i++) out.append(i == 0 ? "" : ",").append(number(values[i]));
        out.append(']');
        return this;
    }

    @Override
    public String toString() {
        return out + "}";
    }

    private static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return "null";
        return String.format(Locale.ROOT, "%.6g", v).replaceAll("(\\.\\d*?)0+(e|$)", "$1$2").replace(".e", "e")
                .replaceAll("\\.$", "");
    }

    static void string(StringBuilder out, String s) {
        com.soportemax.inference.server.Json.string(out, s);
    }
}
