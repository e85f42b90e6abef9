package com.soportemax.shared.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The output of a program run in null-flush mode (Apertium's {@code -z}): each answer ends with a NUL byte.
 */
public final class NulFramedOutput {

    private NulFramedOutput() {
    }

    /**
     * Reads {@code out} until it closes, handing each NUL-terminated answer (UTF-8) to {@code answers}.
     *
     * @param keepEmpty whether an empty answer is handed on: yes for one program, whose answers match its inputs one
     *                  for one; no for a pipeline, where the later programs' flushes come as empty pieces
     * @throws IOException when reading fails (the program went away)
     */
    public static void read(InputStream out, boolean keepEmpty, Consumer<String> answers) throws IOException {
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        byte[] buffer = new byte[16384];
        int n;
        while ((n = out.read(buffer)) >= 0) {
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (buffer[i] != 0) continue;
                current.write(buffer, start, i - start);
                start = i + 1;
                if (keepEmpty || current.size() > 0) answers.accept(current.toString(StandardCharsets.UTF_8));
                current.reset();
            }
            current.write(buffer, start, n - start);
        }
    }
}
