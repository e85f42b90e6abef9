package com.soportemax.privacy.internal;

import com.soportemax.shared.process.NulFramedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One language's morphological analyser: Apertium's {@code lt-proc} on the language's compiled lexicon
 * ({@code *.automorf.bin}), kept running in null-flush mode ({@code -z}: a chunk of text ends with a NUL, and its
 * analysis comes back ending with one), so a call costs a round trip through a pipe instead of a process start.
 * Each call is bounded by a timeout; a process that does not answer in time, or has died, is stopped and started
 * again on the next call. Thread-safe: one call at a time.
 */
public final class MorphologicalAnalyser implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MorphologicalAnalyser.class);
    /** After this many failures in a row the analyser gives up for good (a broken install, not a hiccup). */
    private static final int MAX_FAILURES_IN_A_ROW = 3;
    /** Characters of Apertium's stream format that plain text must escape. */
    private static final Pattern RESERVED = Pattern.compile("([\\\\\\[\\]^$/<>@{}*#+~|])");
    // A text ends with a sentence of its own, so each text's analysis ends with the token of that full stop.
    private static final String END_OF_TEXT = "\n.\n";

    /** A word (or a multiword unit) as the analyser read it, with every analysis the lexicon has for it. */
    public record Token(String surface, List<String> readings) {

        /** Whether the lexicon does not know the word (Apertium's {@code *} mark). */
        public boolean unknown() {
            return readings.isEmpty() || readings.getFirst().startsWith("*");
        }
    }

    private final List<String> command;
    private final Duration timeout;
    private final String name;
    private Process process;
    private BlockingQueue<String> answers;
    private int failuresInARow;
    // Until it has answered once, a failure is the caller's to report (Apertium not installed: one warning, not three).
    private boolean answeredOnce;

    /**
     * @param ltProc  the {@code lt-proc} program (a name on the path or a file)
     * @param lexicon the compiled analyser, e.g. {@code spa-eng.automorf.bin}
     * @param timeout the longest a call may take
     */
    public MorphologicalAnalyser(String ltProc, Path lexicon, Duration timeout) {
        this.command = List.of(ltProc, "-z", lexicon.toString());
        this.timeout = timeout;
        this.name = lexicon.getFileName().toString();
    }

    /** Whether this is the English analyser ({@code eng-*.automorf.bin}). */
    public boolean english() {
        return name.startsWith("eng");
    }

    /** Whether the lexicon file is there to be read (the program itself is found only by starting it). */
    public static boolean installed(Path lexicon) {
        return Files.isReadable(lexicon);
    }

    /**
     * The tokens of each text, in order, one list per text; empty when the analyser could not answer (not
     * installed, died, timed out: the reason is logged).
     */
    public synchronized Optional<List<List<Token>>> analyse(List<String> texts) {
        if (texts.isEmpty()) return Optional.of(List.of());
        if (failuresInARow >= MAX_FAILURES_IN_A_ROW) return Optional.empty();
        StringBuilder chunk = new StringBuilder();
        for (String text : texts) {
            String flat = text.replace('\0', ' ').replace('\n', ' ').replace('\r', ' ');
            chunk.append(RESERVED.matcher(flat).replaceAll("\\\\$1")).append(END_OF_TEXT);
        }
        chunk.append('\0');
        try {
            if (process == null || !process.isAlive()) start();
            answers.clear();
            OutputStream in = process.getOutputStream();
            in.write(chunk.toString().getBytes(StandardCharsets.UTF_8));
            in.flush();
            String answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (answer == null) throw new IOException("no analysis within " + timeout.toMillis() + " ms");
            List<List<Token>> analysed = split(parse(answer));
            if (analysed.size() != texts.size()) {
                throw new IOException("analysed " + analysed.size() + " texts of " + texts.size());
            }
            failuresInARow = 0;
            answeredOnce = true;
            return Optional.of(analysed);
        } catch (IOException e) {
            failuresInARow++;
            stop();
            String next = failuresInARow >= MAX_FAILURES_IN_A_ROW ? "it is not started again" : "it is restarted";
            if (answeredOnce) log.warn("Apertium's analyser ({}) failed: {}; {}", name, e.getMessage(), next);
            else log.debug("Apertium's analyser ({}) failed: {}; {}", name, e.getMessage(), next);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            return Optional.empty();
        }
    }

    private void start() throws IOException {
        Process started = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        Thread.ofPlatform().daemon().name("apertium-analyser-" + name).start(() -> read(started, queue));
        process = started;
        answers = queue;
    }

    /** Splits the process's output at its NULs: one analysis per chunk written. */
    private static void read(Process process, BlockingQueue<String> answers) {
        try (InputStream out = process.getInputStream()) {
            NulFramedOutput.read(out, true, answers::add);
        } catch (IOException e) {
            log.debug("Apertium's analyser closed: {}", e.getMessage());
        }
    }

    /** Apertium's stream: {@code ^surface/reading/reading$} units with blanks between, backslash escapes. */
    static List<Token> parse(String stream) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = stream.length();
        while (i < length) {
            char c = stream.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c != '^') {
                i++;
                continue;
            }
            List<String> parts = new ArrayList<>();
            StringBuilder part = new StringBuilder();
            i++;
            while (i < length && stream.charAt(i) != '$') {
                char d = stream.charAt(i);
                if (d == '\\' && i + 1 < length) {
                    part.append(stream.charAt(i + 1));
                    i += 2;
                    continue;
                }
                if (d == '/') {
                    parts.add(part.toString());
                    part.setLength(0);
                } else {
                    part.append(d);
                }
                i++;
            }
            parts.add(part.toString());
            i++;
            tokens.add(new Token(parts.getFirst(), List.copyOf(parts.subList(1, parts.size()))));
        }
        return tokens;
    }

    /** The tokens of each text: a text's analysis ends with the full stop written after it. */
    private static List<List<Token>> split(List<Token> tokens) {
        List<List<Token>> texts = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        for (Token token : tokens) {
            if (token.surface().equals(".") && !token.readings().isEmpty() && token.readings().getFirst().startsWith(".<sent>")) {
                texts.add(current);
                current = new ArrayList<>();
            } else {
                current.add(token);
            }
        }
        return texts;
    }

    private void stop() {
        if (process == null) return;
        process.destroyForcibly();
        process = null;
    }

    /** Stops the process as a crash would (the next call starts it again). */
    synchronized void kill() {
        stop();
    }

    /** Whether the process is running now (it is started by the first call). */
    synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public synchronized void close() {
        stop();
    }

    @Override
    public String toString() {
        return String.join(" ", command);
    }
}
