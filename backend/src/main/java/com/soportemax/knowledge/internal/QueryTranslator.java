package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.internal.TextAnalysis.Language;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Translates a customer's question into the language of articles written in the other one, so an English question
 * finds a Spanish article by its words ("meter" → "contador") and the other way round. It runs Apertium, the
 * rule-based machine translator (Debian packages {@code apertium} and {@code apertium-eng-spa}), as a separate
 * process per question: about 0.1 s, bounded by a timeout, remembered for the last questions. Without Apertium
 * (setting {@code soportemax.knowledge.translator: none}, or not installed) each question is searched in its own words
 * only, and a warning says so once.
 */
class QueryTranslator {

    private static final Logger log = LoggerFactory.getLogger(QueryTranslator.class);
    static final QueryTranslator NONE = new QueryTranslator(null);
    static final int MAX_CHARS = 600;
    private static final long TIMEOUT_MS = 5_000;
    private static final int REMEMBERED = 2_000;

    private final String command;
    private volatile Boolean available;
    private final Map<String, String> remembered = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    /** @param command the Apertium command ({@code apertium} on the path, or a file), null or "none" for none */
    QueryTranslator(String command) {
        this.command = command == null || command.isBlank() || command.equalsIgnoreCase("none") ? null : command;
        if (this.command == null) available = false;
    }

    /** Whether questions can be translated (checked once: Apertium runs and knows both directions). */
    boolean available() {
        Boolean known = available;
        if (known != null) return known;
        synchronized (this) {
            if (available != null) return available;
            boolean works;
            try {
                String modes = run(List.of(command, "-l"), "");
                works = modes.contains("eng-spa") && modes.contains("spa-eng");
                if (!works) {
                    log.warn("Apertium ({}) has no English-Spanish pair (install Debian's apertium-eng-spa): questions"
                            + " are searched only in their own language", command);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("No Apertium translator ({}: {}): a question in English is not searched in Spanish articles"
                        + " and the other way round. Install Debian's apertium-eng-spa or set"
                        + " soportemax.knowledge.translator.", command, e.getMessage());
                works = false;
            }
            available = works;
            return works;
        }
    }

    /** {@code text} in {@code to}; empty when translation is unavailable or fails. */
    Optional<String> translate(String text, Language from, Language to) {
        if (from == to || text == null || text.isBlank() || !available()) return Optional.empty();
        String input = text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text;
        String key = from.code() + '>' + to.code() + ':' + input;
        synchronized (remembered) {
            String known = remembered.get(key);
            if (known != null) return Optional.of(known);
        }
        String mode = from == Language.EN ? "eng-spa" : "spa-eng";
        try {
            String translated = run(List.of(command, "-u", "-f", "txt", mode), input).strip();
            synchronized (remembered) {
                remembered.put(key, translated);
            }
            return Optional.of(translated);
        } catch (IOException | RuntimeException e) {
            log.warn("Translating a question ({}) failed: {}", mode, e.getMessage());
            return Optional.empty();
        }
    }

    private static String run(List<String> command, String input) throws IOException {
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            CompletableFuture<byte[]> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
            try (OutputStream in = process.getOutputStream()) {
                in.write(input.getBytes(StandardCharsets.UTF_8));
            }
            byte[] bytes = output.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!process.waitFor(TIMEOUT_MS, TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
                throw new IOException("exit status " + (process.isAlive() ? "none (timed out)" : process.exitValue()));
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            throw new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return command == null ? "none" : command;
    }
}
