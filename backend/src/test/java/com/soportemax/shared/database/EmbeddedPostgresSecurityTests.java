package com.soportemax.shared.database;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The attacks a local user could run on the embedded PostgreSQL of an earlier version (trust for every local
 * connection, superuser {@code postgres} without a password), each of which must now fail.
 */
class EmbeddedPostgresSecurityTests {

    static Path root = Path.of(System.getProperty("java.io.tmpdir"), "soportemax-pgsec-" + UUID.randomUUID());
    static EmbeddedPostgresServer server;

    @BeforeAll
    static void startFreshServer() {
        server = EmbeddedPostgresServer.start(root.resolve("fresh"));
    }

    @AfterAll
    static void stopServer() {
        server.stop();
    }

    @Test
    void refusesEveryConnectionWithoutThePassword() {
        for (String user : List.of("postgres", ApplicationRole.NAME)) {
            for (String database : List.of("postgres", "soportemax", "template1")) {
                assertThatThrownBy(() -> connect(server.port(), database, user, null)).as(user + "@" + database)
                        .isInstanceOf(SQLException.class).hasMessageContaining("password");
                assertThatThrownBy(() -> connect(server.port(), database, user, "postgres")).as(user + "@" + database)
                        .isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
            }
        }
    }

    @Test
    void everyClientAuthenticationRuleIsScramOverLoopback() throws Exception {
        try (Connection superuser = connect(server.port(), "postgres", "postgres", credentials().superuserPassword());
             Statement sql = superuser.createStatement();
             var rules = sql.executeQuery("select type, address, auth_method from pg_hba_file_rules")) {
            int count = 0;
            while (rules.next()) {
                count++;
                assertThat(rules.getString("type")).isEqualTo("host");
                assertThat(rules.getString("address")).isEqualTo("127.0.0.1");
                assertThat(rules.getString("auth_method")).isEqualTo("scram-sha-256");
            }
            assertThat(count).isPositive();
        }
    }

    @Test
    void theApplicationRoleCannotReadServerFilesRunProgramsOrCreateRoles() throws Exception {
        try (Connection app = connect(server.port(), "soportemax", server.username(), server.password());
             Statement sql = app.createStatement()) {
            assertThat(server.username()).isNotEqualTo("postgres");
            assertRefused(sql, "select pg_read_file('PG_VERSION')");
            assertRefused(sql, "select pg_read_file('/etc/passwd')");
            assertRefused(sql, "copy (select 1) to program 'id'");
            assertRefused(sql, "copy (select 1) to '/tmp/soportemax-copy-attack'");
            assertRefused(sql, "create role intruder login superuser password 'x'");
            assertRefused(sql, "create role intruder login");
            assertRefused(sql, "alter role " + server.username() + " superuser");
            assertRefused(sql, "create database stolen");
            assertRefused(sql, "select * from pg_authid");
            try (var rows = sql.executeQuery("select rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user")) {
                rows.next();
                assertThat(rows.getBoolean(1)).isFalse();
                assertThat(rows.getBoolean(2)).isFalse();
                assertThat(rows.getBoolean(3)).isFalse();
            }
            // ...yet it owns its schema: it can create and drop what the migrations need.
            sql.execute("create table owned_by_application (id int)");
            sql.execute("create extension if not exists pg_trgm");
            sql.execute("drop table owned_by_application");
        }
    }

    @Test
    void thePasswordFileIsReadableOnlyByTheApplicationsUser() throws IOException {
        Path file = DatabaseCredentials.file(server.dataDirectory());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).contains(server.password());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.dataDirectory())))
                .isEqualTo("rwx------");
    }

    @Test
    void listensOnLoopbackOnly() throws Exception {
        try (Connection superuser = connect(server.port(), "postgres", "postgres", credentials().superuserPassword());
             Statement sql = superuser.createStatement()) {
            try (var rows = sql.executeQuery("show listen_addresses")) {
                rows.next();
                assertThat(rows.getString(1)).isEqualTo("127.0.0.1");
            }
            try (var rows = sql.executeQuery("show unix_socket_directories")) {
                rows.next();
                assertThat(rows.getString(1)).isEmpty();
            }
        }
        for (InetAddress address : NetworkInterface.networkInterfaces()
                .flatMap(NetworkInterface::inetAddresses).filter(a -> !a.isLoopbackAddress()).toList()) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress(address, server.port()), 2000))
                        .as("connection to %s", address).isInstanceOf(ConnectException.class);
            }
        }
        if (InetAddress.getByName("::1") != null) {
            try (Socket socket = new Socket()) {
                assertThatThrownBy(() -> socket.connect(new InetSocketAddress("::1", server.port()), 2000))
                        .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void migratesADataDirectoryThatTrustedEveryLocalConnection(@TempDir Path parent) throws Exception {
        Path data = parent.resolve("postgres");
        // An earlier version's directory: trust, superuser without password, the schema owned by the superuser.
        try (EmbeddedPostgres legacy = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false)
                .setServerConfig("listen_addresses", "127.0.0.1").setServerConfig("unix_socket_directories", "")
                .start()) {
            try (Connection connection = legacy.getPostgresDatabase().getConnection(); Statement sql = connection.createStatement()) {
                sql.execute("create database soportemax encoding 'UTF8' template template0");
            }
            try (Connection connection = legacy.getDatabase("postgres", "soportemax").getConnection();
                 Statement sql = connection.createStatement()) {
                sql.execute("create extension unaccent");
                sql.execute("create table transcripts (id bigserial primary key, text text not null)");
                sql.execute("create view transcript_texts as select text from transcripts");
                sql.execute("create function shout(text) returns text language sql as $$ select upper($1) $$");
                sql.execute("insert into transcripts (text) values ('hola, necesito ayuda')");
            }
        }
        assertThat(Files.readString(data.resolve("pg_hba.conf"))).contains("trust");

        EmbeddedPostgresServer migrated = EmbeddedPostgresServer.start(data);
        try {
            assertThatThrownBy(() -> connect(migrated.port(), "soportemax", "postgres", null)).isInstanceOf(SQLException.class);
            assertThat(Files.readString(data.resolve("pg_hba.conf"))).doesNotContain("trust");
            try (Connection app = connect(migrated.port(), "soportemax", migrated.username(), migrated.password());
                 Statement sql = app.createStatement()) {
                try (var rows = sql.executeQuery("select shout(text) from transcript_texts")) {
                    rows.next();
                    assertThat(rows.getString(1)).isEqualTo("HOLA, NECESITO AYUDA");
                }
                sql.execute("insert into transcripts (text) values ('gracias')");
                sql.execute("alter table transcripts add column seen boolean");
                assertRefused(sql, "select pg_read_file('PG_VERSION')");
            }
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(DatabaseCredentials.file(data))))
                    .isEqualTo("rw-------");
        } finally {
            migrated.stop();
        }
        // A second start of the migrated directory keeps its passwords and its data.
        EmbeddedPostgresServer again = EmbeddedPostgresServer.start(parent.resolve("./postgres"));
        assertThat(again).isSameAs(migrated);
        again.restart();
        try (Connection app = connect(again.port(), "soportemax", again.username(), again.password());
             Statement sql = app.createStatement(); var rows = sql.executeQuery("select count(*) from transcripts")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(2);
        } finally {
            again.stop();
        }
    }

    private DatabaseCredentials credentials() throws IOException {
        return DatabaseCredentials.read(server.dataDirectory());
    }

    private static void assertRefused(Statement sql, String statement) {
        assertThatThrownBy(() -> sql.execute(statement)).as(statement).isInstanceOf(SQLException.class)
                .hasMessageContaining("denied");
    }

    private static Connection connect(int port, String database, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + database, properties);
    }
}
