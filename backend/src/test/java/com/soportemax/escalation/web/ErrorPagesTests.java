package com.soportemax.escalation.web;

import com.soportemax.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import com.soportemax.WidgetClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** Error pages as a browser gets them from the running server (403, 404 in the product's style), JSON for the API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class ErrorPagesTests {

    @LocalServerPort
    int port;

    @Test
    void anAgentOpeningAnAdminPageGetsAPageSayingTheyMayNotNotJson() throws Exception {
        WidgetClient.Staff agent = new WidgetClient(port).newStaff("Lucía", "AGENT");

        HttpResponse<String> forbidden = browserGet("/admin/knowledge", agent.basic());

        assertThat(forbidden.statusCode()).isEqualTo(403);
        assertThat(forbidden.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(forbidden.body()).contains("No tienes acceso a esta página", "Ir al inicio", "/css/admin.css");
    }

    @Test
    void anUnknownPageIsAPageInTheProductsStyleAndAnUnknownApiPathIsAProblemDetail() throws Exception {
        WidgetClient.Staff agent = new WidgetClient(port).newStaff("Lucía", "AGENT");

        HttpResponse<String> page = browserGet("/agent/no-such-page", agent.basic());
        HttpResponse<String> api = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/agent/no-such-thing"))
                .header("Authorization", agent.basic()).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(page.statusCode()).isEqualTo(404);
        assertThat(page.body()).contains("Esta página no existe", "/css/admin.css");
        assertThat(api.statusCode()).isEqualTo(404);
        assertThat(api.headers().firstValue("Content-Type").orElse("")).contains("json");
    }

    @Test
    void aMalformedAddressIsAPageInTheProductsStyleWithNoTechnicalText() throws Exception {
        WidgetClient.Staff agent = new WidgetClient(port).newStaff("Lucía", "AGENT");

        HttpResponse<String> page = browserGet("/agent/conversations/no-es-un-id", agent.basic());

        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("No se ha podido completar la petición", "Ir al inicio", "/css/admin.css")
                .doesNotContain("Exception", "UUID", "Whitelabel", "Bad Request");
    }

    private HttpResponse<String> browserGet(String path, String authorization) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", authorization)
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
