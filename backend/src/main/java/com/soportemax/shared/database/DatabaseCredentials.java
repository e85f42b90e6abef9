package com.soportemax.shared.database;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;

/**
 * The passwords of one embedded data directory: the superuser's (kept only for start-up maintenance) and the
 * application role's. Generated at random the first time and kept in {@value #FILE_NAME} inside the data
 * directory, readable and writable by the application's operating-system user only (POSIX 600).
 */
record DatabaseCredentials(String superuserPassword, String applicationPassword) {

    static final String FILE_NAME = "soportemax.credentials";
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    DatabaseCredentials {
        requireSafe(superuserPassword);
        requireSafe(applicationPassword);
    }

    /** Passwords go into SQL literals: only the base64url alphabet is accepted, so no quoting can break. */
    private static void requireSafe(String password) {
        if (password == null || password.length() < 32 || !password.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException("A database password must be at least 32 base64url characters");
        }
    }

    static DatabaseCredentials generate() {
        return new DatabaseCredentials(randomPassword(), randomPassword());
    }

    static Path file(Path dataDirectory) {
        return dataDirectory.resolve(FILE_NAME);
    }

    /** The stored credentials of this data directory, or null when it has none yet. */
    static DatabaseCredentials read(Path dataDirectory) throws IOException {
        Path file = file(dataDirectory);
        if (!Files.exists(file)) {
            return null;
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        Files.setPosixFilePermissions(file, OWNER_ONLY);
        try {
            return new DatabaseCredentials(properties.getProperty("superuser.password"),
                    properties.getProperty("application.password"));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is damaged (" + e.getMessage() + "); delete it to have new passwords set", e);
        }
    }

    /** Writes the file, created with owner-only permissions so it is never readable by anyone else. */
    void write(Path dataDirectory) throws IOException {
        Path file = file(dataDirectory);
        Path temporary = file.resolveSibling(FILE_NAME + ".new");
        Files.deleteIfExists(temporary);
        try {
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            throw new IOException("Could not create " + temporary, e);
        }
        Properties properties = new Properties();
        properties.setProperty("superuser.password", superuserPassword);
        properties.setProperty("application.password", applicationPassword);
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            properties.store(writer, "Passwords of the embedded PostgreSQL in this directory. Keep private.");
        }
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "DatabaseCredentials[hidden]";
    }
}
