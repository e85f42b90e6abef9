package com.soportemax;

import com.soportemax.shared.database.EmbeddedPostgresConnectionDetails;
import com.soportemax.shared.database.EmbeddedPostgresServer;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

import java.nio.file.Path;
import java.util.UUID;

/**
 * The one database configuration of every test: a Testcontainers PostgreSQL when a Docker engine is there,
 * otherwise the embedded PostgreSQL the application itself uses (one server per test JVM, fresh data).
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestDatabase {

    private static final Path EMBEDDED_DATA = Path.of(System.getProperty("java.io.tmpdir"),
            "soportemax-test-" + UUID.randomUUID(), "postgres");

    @Bean
    @ServiceConnection
    @Conditional(DockerAvailable.class)
    PostgreSQLContainer postgresContainer() {
        return new PostgreSQLContainer("postgres:18-alpine");
    }

    @Bean
    @Conditional(DockerMissing.class)
    JdbcConnectionDetails embeddedPostgres() {
        return new EmbeddedPostgresConnectionDetails(EmbeddedPostgresServer.start(EMBEDDED_DATA));
    }

    static final class DockerAvailable implements Condition {

        private static volatile Boolean available;

        static boolean available() {
            if (available == null) {
                boolean found;
                try {
                    found = DockerClientFactory.instance().isDockerAvailable();
                } catch (RuntimeException | LinkageError e) {
                    found = false;
                }
                available = found;
            }
            return available;
        }

        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return available();
        }
    }

    static final class DockerMissing implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !DockerAvailable.available();
        }
    }
}
