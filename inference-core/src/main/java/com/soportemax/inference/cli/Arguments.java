package com.soportemax.inference.cli;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options and {@code --flag} switches of one command; unknown options are errors. */
final class Arguments {

    /** A usage error: the message says what was wrong and how to call the command. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    private final String command;
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> flags = new HashSet<>();

    private Arguments(String command) {
        this.command = command;
    }

    static Arguments parse(String command, String[] args, int from, Set<String> valueOptions, Set<String> flagOptions) {
        Arguments a = new Arguments(command);
        for (int i = from; i < args.length; i++) {
            String arg = args[i];
            if (flagOptions.contains(arg)) {
                a.flags.add(arg);
            } else if (valueOptions.contains(arg)) {
                if (i + 1 >= args.length) throw new UsageException(command + ": " + arg + " needs a value");
                a.values.put(arg, args[++i]);
            } else {
                throw new UsageException(command + ": unknown option '" + arg + "'; known: "
                        + String.join(" ", List.copyOf(new java.util.TreeSet<>(union(valueOptions, flagOptions)))));
            }
        }
        return a;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new HashSet<>(a);
        all.addAll(b);
        return all;
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) throw new UsageException(command + ": " + name + " is required");
        return v;
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " must be an integer, was '" + v + "'");
        }
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " must be an integer, was '" + v + "'");
        }
    }

    double decimal(String name, double fallback) {
        String v = values.get(name);
        if (v == null) return fallback;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": " + name + " must be a number, was '" + v + "'");
        }
    }
}
