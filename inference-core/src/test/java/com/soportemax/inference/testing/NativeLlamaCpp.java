package com.soportemax.inference.testing;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A native llama.cpp build as a second reference, for what the de.kherud binding's older llama.cpp cannot run
 * (qwen3). Its {@code bin} folder is given by the system property {@code soportemax.llamacpp.bin}; tests that need
 * it are skipped, saying why, without it.
 */
public final class NativeLlamaCpp {

    private NativeLlamaCpp() {
    }

    /** {@code llama-embedding} of the folder named by {@code soportemax.llamacpp.bin}; skips the test without it. */
    public static Path requireEmbeddingTool() {
        String bin = System.getProperty("soportemax.llamacpp.bin");
        Assumptions.assumeTrue(bin != null && !bin.isBlank(), "system property soportemax.llamacpp.bin (the bin "
                + "folder of a native llama.cpp build) is not set");
        Path tool = Path.of(bin).resolve("llama-embedding");
        Assumptions.assumeTrue(Files.isExecutable(tool), tool + " is not an executable");
        return tool;
    }

    /**
     * llama.cpp's L2-normalised embedding of each text (one process, texts separated by a marker). The tool prints
     * through llama.cpp's asynchronous log, which now and then loses the end of its output at exit: a cut-off
     * answer is asked for again, up to three times.
     */
    public static List<float[]> embed(Path tool, Path model, String pooling, List<String> texts)
            throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return embedOnce(tool, model, pooling, texts);
            } catch (IOException e) {
                if (attempt == 3) throw e;
            }
        }
    }

    private static List<float[]> embedOnce(Path tool, Path model, String pooling, List<String> texts)
            throws IOException, InterruptedException {
        String separator = "<#sep#>";
        Path log = Files.createTempFile("llama-embedding-", ".log");
        Path output = Files.createTempFile("llama-embedding-", ".out");
        Process p = new ProcessBuilder(tool.toString(), "-m", model.toString(), "-p", String.join(separator, texts),
                "--embd-separator", separator, "--pooling", pooling, "--embd-normalize", "2",
                "--embd-output-format", "array", "-t", "2", "-c", "512", "-b", "512", "-ub", "512")
                .redirectError(log.toFile()).redirectOutput(output.toFile()).start();
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        String out = Files.readString(output, StandardCharsets.UTF_8);
        int start = out.indexOf("[[");
        int end = out.lastIndexOf("]]");
        if (!done || p.exitValue() != 0 || start < 0 || end < start) {
            String err = Files.readString(log);
            throw new IOException("llama-embedding failed (" + (done ? "exit " + p.exitValue() : "timed out")
                    + "): " + out.substring(Math.max(0, out.length() - 300)) + "\n"
                    + err.substring(Math.max(0, err.length() - 3000)));
        }
        Files.deleteIfExists(log);
        Files.deleteIfExists(output);
        String body = out.substring(start, end + 2);
        List<float[]> vectors = new ArrayList<>();
        for (String row : body.substring(2, body.length() - 2).split("\\],\\s*\\[")) {
            String[] parts = row.split(",");
            float[] v = new float[parts.length];
            for (int i = 0; i < parts.length; i++) v[i] = Float.parseFloat(parts[i].strip());
            vectors.add(v);
        }
        return vectors;
    }
}
