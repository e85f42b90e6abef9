package com.soportemax.demo;

import com.soportemax.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** A shop on another domain embeds the widget ({@code /widget.js}): its pages must be allowed to call the widget API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class WidgetEmbeddingTests {

    private static final String SHOP = "https://www.tienda-ejemplo.es";

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void letsAnotherSiteAskToPostWithTheBearerToken() throws Exception {
        HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/api/widget/conversations/" + UUID.randomUUID() + "/messages"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", SHOP)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type"));

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization", "content-type");
    }

    @Test
    void letsAnotherSiteReadAnswersAndErrorsOfTheWidgetApi() throws Exception {
        HttpResponse<String> started = send(HttpRequest.newBuilder(uri("/api/widget/conversations"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"locale\":\"es\"}"))
                .header("Content-Type", "application/json")
                .header("Origin", SHOP));
        assertThat(started.statusCode()).isEqualTo(201);
        assertThat(started.headers().firstValue("Access-Control-Allow-Origin")).hasValue(SHOP);
        assertThat(started.headers().firstValue("Access-Control-Expose-Headers").orElse(""))
                .containsIgnoringCase("Retry-After");

        HttpResponse<String> refused = send(HttpRequest.newBuilder(uri("/api/widget/conversations/" + UUID.randomUUID() + "/messages"))
                .header("Authorization", "Bearer not-a-token")
                .header("Origin", SHOP));
        assertThat(refused.statusCode()).isBetween(400, 499);
        assertThat(refused.headers().firstValue("Access-Control-Allow-Origin"))
                .as("the widget must be able to read why it was refused").hasValue(SHOP);
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
