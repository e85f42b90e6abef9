package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.internal.TextAnalysis.Language;
import com.soportemax.shared.process.NulFramedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * Spanish ↔ English machine translation with Apertium, the rule-based translator (Debian packages {@code apertium}
 * and {@code apertium-eng-spa}). Retrieval uses it twice: a question is also searched in the words of articles written
 * in the other language ("meter" → "contador"), and an embedding model that reads one language only is given the
 * translation of the texts written in the other.
 * <p>
 * Each direction runs as one long-lived pipeline of Apertium's programs in null-flush mode (read from the pair's mode
 * file; each text ends with a NUL and its translation comes back ending with one): a few milliseconds a text instead
 * of the ~0.2 s of starting the pipeline again. Where the mode file is not found, or the pipeline stops answering, a
 * text is translated by the {@code apertium} command itself. Every call is bounded by a timeout; the last translations
 * are remembered. Without Apertium (setting {@code soportemax.knowledge.translator: none}, or not installed) nothing
 * is translated and a warning says so once.
 */
@Component
class Translator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Translator.class);
    static final Translator NONE = new Translator((String) null);
    /** Longest text translated; a longer one is cut (a question is short; a passage is at most ~900 characters). */
    static final int MAX_CHARS = 4_000;
    private static final long TIMEOUT_MS = 5_000;
    private static final int REMEMBERED = 4_000;
    /** Characters of Apertium's stream format that a plain text must escape. */
    private static final Pattern RESERVED = Pattern.compile("([\\\\\\[\\]^$/<>@{}*#+~|])");
    private static final Pattern ESCAPED = Pattern.compile("\\\\(.)");
    private static final Pattern MODE_ARGUMENT = Pattern.compile("\\$[12]");

    private final String command;
    private volatile Boolean available;
    private final Map<Language, Pipeline> pipelines = new EnumMap<>(Language.class);
    private final Map<String, String> remembered = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED;
        }
    };

    @Autowired
    Translator(KnowledgeProperties properties) {
        this(properties.translator());
    }

    /** @param command the Apertium command ({@code apertium} on the path, or a file), null or "none" for none */
    Translator(String command) {
        this.command = command == null || command.isBlank() || command.equalsIgnoreCase("none") ? null : command;
        if (this.command == null) available = false;
    }

    /** Whether texts can be translated (checked once: Apertium runs and knows both directions). */
    boolean available() {
        Boolean known = available;
        if (known != null) return known;
        synchronized (this) {
            if (available != null) return available;
            boolean works;
            try {
                String modes = runOnce(List.of(command, "-l"), "");
                works = modes.contains("eng-spa") && modes.contains("spa-eng");
                if (!works) {
                    log.warn("Apertium ({}) has no English-Spanish pair (install Debian's apertium-eng-spa): texts are"
                            + " searched only in their own language", command);
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
        if (text.codePoints().noneMatch(Character::isLetterOrDigit)) return Optional.of(text.strip());
        String input = (text.length() > MAX_CHARS ? text.substring(0, MAX_CHARS) : text).replace('\0', ' ');
        String key = from.code() + '>' + to.code() + ':' + input;
        synchronized (remembered) {
            String known = remembered.get(key);
            if (known != null) return Optional.of(known);
        }
        String mode = mode(from, to);
        try {
            String translated = pipeline(from, to).map(p -> p.translate(input)).orElse(null);
            if (translated == null) translated = runOnce(List.of(command, "-u", "-f", "txt", mode), input).strip();
            synchronized (remembered) {
                remembered.put(key, translated);
            }
            return Optional.of(translated);
        } catch (IOException | RuntimeException e) {
            log.warn("Translating a text ({}) failed: {}", mode, e.getMessage());
            return Optional.empty();
        }
    }

    private static String mode(Language from, Language to) {
        return from == Language.EN ? "eng-spa" : "spa-eng";
    }

    /** The running pipeline for a direction, started on first use; empty where it cannot run. */
    private Optional<Pipeline> pipeline(Language from, Language to) {
        synchronized (pipelines) {
            Pipeline pipeline = pipelines.get(from);
            if (pipeline != null && pipeline.usable()) return Optional.of(pipeline);
            if (pipeline != null && !pipeline.mayRestart()) return Optional.empty();
            Optional<String> shell = pipelineCommand(mode(from, to));
            if (shell.isEmpty()) {
                pipelines.put(from, Pipeline.unavailable());
                return Optional.empty();
            }
            Pipeline started = Pipeline.start(shell.get(), pipeline == null ? 0 : pipeline.restarts + 1);
            pipelines.put(from, started);
            return started.usable() ? Optional.of(started) : Optional.empty();
        }
    }

    /**
     * The pair's pipeline in null-flush mode, from its mode file (one shell line of programs joined by pipes): each
     * program is given {@code -z}, the generator {@code -n} (unknown words left unmarked, as {@code apertium -u}).
     */
    private Optional<String> pipelineCommand(String mode) {
        for (Path modes : modeFolders()) {
            Path file = modes.resolve(mode + ".mode");
            if (!Files.isReadable(file)) continue;
            try {
                String line = Files.readString(file).strip();
                List<String> stages = new ArrayList<>();
                for (String stage : line.split("\\|")) {
                    String program = stage.strip();
                    int space = program.indexOf(' ');
                    String name = space < 0 ? program : program.substring(0, space);
                    String rest = space < 0 ? "" : program.substring(space);
                    stages.add(name + " -z" + MODE_ARGUMENT.matcher(rest).replaceAll(m ->
                            m.group().equals("$1") ? "-n" : ""));
                }
                return Optional.of(String.join(" | ", stages));
            } catch (IOException e) {
                log.debug("Reading Apertium's mode file {} failed: {}", file, e.getMessage());
            }
        }
        return Optional.empty();
    }

    private List<Path> modeFolders() {
        List<Path> folders = new ArrayList<>();
        Path executable = Path.of(command);
        if (executable.getParent() != null && executable.getParent().getParent() != null) {
            folders.add(executable.getParent().getParent().resolve("share/apertium/modes"));
        }
        folders.add(Path.of("/usr/share/apertium/modes"));
        folders.add(Path.of("/usr/local/share/apertium/modes"));
        return folders;
    }

    @Override
    public void close() {
        synchronized (pipelines) {
            pipelines.values().forEach(Pipeline::stop);
            pipelines.clear();
        }
    }

    /** One direction's long-lived pipeline: one text at a time, each answered within the timeout or the pipeline goes. */
    private static final class Pipeline {

        private static final int MAX_RESTARTS = 3;

        private final Process process;
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        private final int restarts;
        private volatile boolean broken;

        private Pipeline(Process process, int restarts) {
            this.process = process;
            this.restarts = restarts;
            this.broken = process == null;
        }

        static Pipeline unavailable() {
            return new Pipeline(null, MAX_RESTARTS);
        }

        static Pipeline start(String shell, int restarts) {
            try {
                Process process = new ProcessBuilder("bash", "-c", shell)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
                Pipeline pipeline = new Pipeline(process, restarts);
                Thread.ofPlatform().daemon().name("apertium-reader").start(pipeline::read);
                return pipeline;
            } catch (IOException e) {
                log.debug("Starting Apertium's pipeline failed: {}", e.getMessage());
                return new Pipeline(null, restarts);
            }
        }

        boolean usable() {
            return !broken && process != null && process.isAlive();
        }

        boolean mayRestart() {
            return restarts < MAX_RESTARTS;
        }

        /** The translation, or null when the pipeline did not give one in time (it is then stopped). */
        synchronized String translate(String text) {
            if (!usable()) return null;
            answers.clear();
            String escaped = RESERVED.matcher(text.replace('\n', ' ').replace('\r', ' ')).replaceAll("\\\\$1");
            try {
                OutputStream in = process.getOutputStream();
                // The sentence that ends at a line of its own, a full stop: without it the last word stays in the
                // transfer stage waiting for the rest of its sentence.
                in.write((escaped + "\n.\n\0").getBytes(StandardCharsets.UTF_8));
                in.flush();
                String answer = answers.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                if (answer == null) {
                    log.warn("Apertium's pipeline gave no translation within {} ms; it is restarted", TIMEOUT_MS);
                    stop();
                    return null;
                }
                String translated = answer.strip();
                if (translated.endsWith("\n.")) translated = translated.substring(0, translated.length() - 2);
                return ESCAPED.matcher(translated).replaceAll("$1").strip();
            } catch (IOException e) {
                stop();
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        /** Splits the pipeline's output at its NULs; empty pieces are the flushes of later programs. */
        private void read() {
            try (InputStream out = process.getInputStream()) {
                NulFramedOutput.read(out, false, answers::add);
            } catch (IOException e) {
                log.debug("Apertium's pipeline closed: {}", e.getMessage());
            } finally {
                broken = true;
            }
        }

        void stop() {
            broken = true;
            if (process == null) return;
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static String runOnce(List<String> command, String input) throws IOException {
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
