package com.soportemax.inference.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files beside the project ({@code ../shared}, passed to tests as the system property {@code soportemax.shared}):
 * real model files and tokenizer test vectors. A test that needs one is skipped, saying why, where it is absent.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The file at {@code relative} inside the shared folder; skips the calling test when it is not there. */
    public static Path require(String relative) {
        String root = System.getProperty("soportemax.shared");
        Assumptions.assumeTrue(root != null && !root.isBlank(),
                "system property soportemax.shared is not set (run through Maven, or pass -Dsoportemax.shared=../shared)");
        Path file = Path.of(root).resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(file), () -> file + " is absent: the data beside the project "
                + "(../shared) is not on this machine");
        return file;
    }
}
