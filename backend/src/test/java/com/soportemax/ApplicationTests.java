package com.soportemax;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class ApplicationTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void reportsHealthyWithReadinessAndLivenessGroups() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : new String[]{"/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness"}) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.body()).as(path).contains("\"UP\"");
        }
    }

    @Test
    void runsOnPostgresqlWithAccentInsensitiveSpanishSearch() {
        assertThat(jdbc.queryForObject("select version()", String.class)).startsWith("PostgreSQL");
        Boolean matches = jdbc.queryForObject(
                "select to_tsvector('spanish_unaccent', 'Devolución del envío') @@ plainto_tsquery('spanish_unaccent', 'devolucion envio')",
                Boolean.class);
        assertThat(matches).isTrue();
    }
}
