package com.soportemax.shared.database;

import com.soportemax.WidgetClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With the database stopped, the application answers at once with 503 (not a hang, not a stack trace), reports
 * itself not ready but alive; once the database is back, everything acknowledged before is still there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(DatabaseOutageTests.OwnDatabase.class)
class DatabaseOutageTests {

    /** A server of its own: stopping it must not disturb other tests sharing the JVM's test database. */
    @TestConfiguration(proxyBeanMethods = false)
    static class OwnDatabase {
        static final EmbeddedPostgresServer SERVER = EmbeddedPostgresServer.start(Path.of(
                System.getProperty("java.io.tmpdir"), "soportemax-outage-" + UUID.randomUUID(), "postgres"));

        @Bean
        JdbcConnectionDetails outageDatabase() {
            return new EmbeddedPostgresConnectionDetails(SERVER);
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcConnectionDetails database;

    @Test
    void failsFastWithServiceUnavailableWhileTheDatabaseIsDownAndLosesNothing() throws Exception {
        WidgetClient widget = new WidgetClient(port);
        WidgetClient.Conversation conversation = widget.start("es");
        assertThat(widget.post(conversation, UUID.randomUUID(), "¿Cuánto tarda el envío?").status()).isEqualTo(202);

        OwnDatabase.SERVER.stop();
        try {
            // The client gives up after 10 s; the answer must come well before (Hikari's 3 s connection timeout).
            HttpClient http = HttpClient.newBuilder().build();
            HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/api/widget/conversations/"
                            + conversation.id() + "/messages")).timeout(Duration.ofSeconds(10))
                    .header("Authorization", conversation.bearer()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"clientMessageId\":\"" + UUID.randomUUID()
                            + "\",\"text\":\"¿Seguís ahí?\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(503);
            assertThat(post.headers().firstValue("Retry-After")).isPresent();
            assertThat(post.body()).contains("unavailable").doesNotContain("Exception").doesNotContain("at org.");

            HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).isEqualTo(503);
            assertThat(readiness.body()).contains("DOWN");
            HttpResponse<String> liveness = http.send(HttpRequest.newBuilder(uri("/actuator/health/liveness"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(liveness.statusCode()).isEqualTo(200);
            assertThat(liveness.body()).contains("UP");
        } finally {
            OwnDatabase.SERVER.restart();
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (widget.send("GET", "/actuator/health/readiness", null, null).status() != 200) {
            assertThat(System.nanoTime()).as("ready again within 60 s").isLessThan(deadline);
            Thread.sleep(200);
        }
        WidgetClient.Reply messages = widget.messages(conversation, 0);
        assertThat(messages.status()).isEqualTo(200);
        assertThat(messages.json().path("messages").path(0).path("text").asString()).isEqualTo("¿Cuánto tarda el envío?");
        assertThat(widget.post(conversation, UUID.randomUUID(), "¿Seguís ahí?").status()).isEqualTo(202);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
