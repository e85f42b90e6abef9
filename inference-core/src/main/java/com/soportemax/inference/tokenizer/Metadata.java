package com.soportemax.inference.tokenizer;

import com.soportemax.inference.gguf.ModelFormatException;

import java.util.Map;

/** Typed reads of GGUF metadata values, with errors that name the key. */
final class Metadata {

    private Metadata() {
    }

    static String requireString(Map<String, Object> metadata, String key) throws ModelFormatException {
        String value = optionalString(metadata, key);
        if (value == null) throw new ModelFormatException(key + ": missing; the model file has no tokenizer");
        return value;
    }

    static String optionalString(Map<String, Object> metadata, String key) throws ModelFormatException {
        Object value = metadata.get(key);
        if (value == null) return null;
        if (value instanceof String s) return s;
        throw wrongType(key, "a string", value);
    }

    static String[] requireStrings(Map<String, Object> metadata, String key) throws ModelFormatException {
        String[] value = optionalStrings(metadata, key);
        if (value == null) throw new ModelFormatException(key + ": missing; the model file has no tokenizer");
        return value;
    }

    static String[] optionalStrings(Map<String, Object> metadata, String key) throws ModelFormatException {
        Object value = metadata.get(key);
        if (value == null) return null;
        if (value instanceof String[] s) return s;
        throw wrongType(key, "an array of strings", value);
    }

    static int[] optionalInts(Map<String, Object> metadata, String key) throws ModelFormatException {
        Object value = metadata.get(key);
        if (value == null) return null;
        if (value instanceof int[] ints) return ints;
        if (value instanceof long[] longs) {
            int[] ints = new int[longs.length];
            for (int i = 0; i < longs.length; i++) {
                if (longs[i] < Integer.MIN_VALUE || longs[i] > Integer.MAX_VALUE) {
                    throw new ModelFormatException(key + ": element " + i + " (" + longs[i] + ") is out of range");
                }
                ints[i] = (int) longs[i];
            }
            return ints;
        }
        throw wrongType(key, "an array of integers", value);
    }

    static float[] optionalFloats(Map<String, Object> metadata, String key) throws ModelFormatException {
        Object value = metadata.get(key);
        if (value == null) return null;
        if (value instanceof float[] floats) return floats;
        if (value instanceof double[] doubles) {
            float[] floats = new float[doubles.length];
            for (int i = 0; i < doubles.length; i++) floats[i] = (float) doubles[i];
            return floats;
        }
        throw wrongType(key, "an array of floats", value);
    }

    static Long optionalLong(Map<String, Object> metadata, String key) throws ModelFormatException {
        Object value = metadata.get(key);
        if (value == null) return null;
        if (value instanceof Number n && !(value instanceof Float) && !(value instanceof Double)) return n.longValue();
        throw wrongType(key, "an integer", value);
    }

    static Boolean optionalBoolean(Map<String, Object> metadata, String key) throws ModelFormatException {
        Object value = metadata.get(key);
        if (value == null) return null;
        if (value instanceof Boolean b) return b;
        throw wrongType(key, "a boolean", value);
    }

    private static ModelFormatException wrongType(String key, String expected, Object value) {
        return new ModelFormatException(key + ": expected " + expected + " but found "
                + value.getClass().getSimpleName());
    }
}
