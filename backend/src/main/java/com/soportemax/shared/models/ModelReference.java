package com.soportemax.shared.models;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What a model setting ({@code soportemax.model}, {@code soportemax.knowledge.embedding-model}) names: nothing, a
 * local GGUF file, or a file in a Hugging Face repository.
 */
public sealed interface ModelReference {

    String HF_PREFIX = "hf:";

    /** No model: the assistant runs in retrieval-only mode. */
    record None() implements ModelReference {
        @Override
        public String toString() {
            return "none";
        }
    }

    record LocalFile(Path path) implements ModelReference {
        @Override
        public String toString() {
            return path.toString();
        }
    }

    /** {@code hf:owner/repository/path/in/repo.gguf}, fetched from the main branch. */
    record HuggingFace(String owner, String repository, String file) implements ModelReference {

        public URI downloadUri(URI hub) {
            String base = hub.toString().endsWith("/") ? hub.toString() : hub + "/";
            return URI.create(base + owner + "/" + repository + "/resolve/main/" + file);
        }

        /** Where the file is kept once downloaded: {@code cache/owner/repository/file}. */
        public Path cachePath(Path cache) {
            return cache.resolve(owner).resolve(repository).resolve(file);
        }

        @Override
        public String toString() {
            return HF_PREFIX + owner + "/" + repository + "/" + file;
        }
    }

    /** {@link #parse(String, String)} of {@code soportemax.model}. */
    static ModelReference parse(String text) {
        return parse("soportemax.model", text);
    }

    /**
     * @param setting the setting's name, quoted in error messages
     * @throws IllegalArgumentException with what a valid value looks like
     */
    static ModelReference parse(String setting, String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(setting + " is empty: give a GGUF file path, "
                    + "hf:owner/repo/file.gguf, or none");
        }
        String value = text.strip();
        if (value.equalsIgnoreCase("none")) return new None();
        if (value.toLowerCase(Locale.ROOT).startsWith(HF_PREFIX)) return parseHuggingFace(setting, value);
        try {
            return new LocalFile(Path.of(value));
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(setting + " '" + value + "' is not a valid file path: "
                    + e.getMessage(), e);
        }
    }

    private static HuggingFace parseHuggingFace(String setting, String value) {
        String[] parts = value.substring(HF_PREFIX.length()).split("/", 3);
        String expected = "expected hf:owner/repo/file.gguf, e.g. hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf";
        if (parts.length < 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
            throw new IllegalArgumentException(setting + " '" + value + "': " + expected);
        }
        String safe = "[A-Za-z0-9._-]+";
        if (!parts[0].matches(safe) || !parts[1].matches(safe)) {
            throw new IllegalArgumentException(setting + " '" + value
                    + "': owner and repository may only contain letters, digits, '.', '_' and '-'");
        }
        for (String segment : parts[2].split("/", -1)) {
            if (!segment.matches(safe) || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(setting + " '" + value + "': the file path '" + parts[2]
                        + "' has an empty or unsafe segment; " + expected);
            }
        }
        if (!parts[2].toLowerCase(Locale.ROOT).endsWith(".gguf")) {
            throw new IllegalArgumentException(setting + " '" + value + "' does not name a .gguf file; "
                    + expected);
        }
        return new HuggingFace(parts[0], parts[1], parts[2]);
    }
}
