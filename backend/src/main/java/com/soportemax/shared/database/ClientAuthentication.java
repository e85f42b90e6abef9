package com.soportemax.shared.database;

import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Who may connect to the embedded server, and how: every connection over loopback TCP with scram-sha-256, nothing
 * else (no Unix socket, no trust). Applied to the data directory while the server is stopped, before each start.
 * A directory created by an earlier version (trust, superuser without a password) is migrated here: the superuser
 * gets its password in single-user mode, which opens no socket, so there is no moment when trust is reachable.
 */
final class ClientAuthentication {

    static final String MANAGED_MARKER = "# Managed by SoporteMax";
    private static final String HBA = MANAGED_MARKER + ": rewritten at every start; edits are lost.\n"
            + "# Every connection authenticates with scram-sha-256, over loopback TCP only.\n"
            + "host all all 127.0.0.1/32 scram-sha-256\n";

    private ClientAuthentication() {
    }

    /** Runs with the server stopped: sets the superuser's password when needed, then writes pg_hba.conf. */
    static void apply(Path dataDirectory, Path binaries, DatabaseCredentials credentials, boolean newCredentials) {
        try {
            OrphanedServer.stopIfRunning(dataDirectory);
            if (newCredentials) {
                credentials.write(dataDirectory);
            }
            if (newCredentials || !isManaged(dataDirectory)) {
                setSuperuserPassword(dataDirectory, binaries, credentials);
            }
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), HBA, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not secure the embedded PostgreSQL in " + dataDirectory
                    + ": " + e.getMessage(), e);
        }
    }

    static boolean isManaged(Path dataDirectory) throws IOException {
        Path hba = dataDirectory.resolve("pg_hba.conf");
        return Files.exists(hba) && Files.readString(hba).startsWith(MANAGED_MARKER);
    }

    private static void setSuperuserPassword(Path dataDirectory, Path binaries, DatabaseCredentials credentials)
            throws IOException {
        Path postgres = serverBinary(binaries, dataDirectory);
        List<String> command = new ArrayList<>();
        // As zonky does for its own commands: under root, the server runs in a user namespace (PostgreSQL refuses root).
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(postgres.toString(), "--single", "-D", dataDirectory.toString(),
                "-c", "listen_addresses=", "-c", "unix_socket_directories=", "-c", "exit_on_error=on",
                "-c", "password_encryption=scram-sha-256", "postgres"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .start();
        // The password goes through standard input, never the command line (visible to every local user).
        try (var input = process.getOutputStream()) {
            input.write(("alter role postgres with password '" + credentials.superuserPassword() + "'\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("single-user PostgreSQL did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the superuser password", e);
        }
        if (process.exitValue() != 0 || output.contains("ERROR") || output.contains("FATAL")) {
            throw new IOException("single-user PostgreSQL could not set the superuser password (exit "
                    + process.exitValue() + "): " + output.strip());
        }
    }

    /** The {@code postgres} binary zonky extracted whose major version matches the data directory's. */
    private static Path serverBinary(Path binaries, Path dataDirectory) throws IOException {
        String major = Files.readString(dataDirectory.resolve("PG_VERSION")).strip();
        List<Path> candidates = new ArrayList<>();
        try (Stream<Path> children = Files.list(binaries)) {
            children.map(child -> child.resolve("bin/postgres")).filter(Files::isExecutable).forEach(candidates::add);
        }
        candidates.sort(Comparator.comparing(Path::toString));
        for (Path candidate : candidates) {
            if (versionOf(candidate).startsWith("postgres (PostgreSQL) " + major + ".")) {
                return candidate;
            }
        }
        throw new IOException("no PostgreSQL " + major + " server binary under " + binaries);
    }

    private static String versionOf(Path postgres) throws IOException {
        Process process = new ProcessBuilder(postgres.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return output;
    }
}
