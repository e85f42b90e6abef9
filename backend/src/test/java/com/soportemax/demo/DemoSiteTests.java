package com.soportemax.demo;

import com.soportemax.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** What a visitor's browser gets from the demo site and what staff get from the shared admin layout, over HTTP. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class DemoSiteTests {

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @Test
    void demoShopEmbedsTheWidgetWithTheOneLineSnippetForAnyVisitor() throws Exception {
        HttpResponse<String> page = get("/demo");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("Tienda SoporteMax")
                .contains("<script src=\"/widget.js\" data-locale=\"es\" data-title=\"Tienda SoporteMax\"")
                .contains("&lt;script src=&quot;http://localhost:" + port + "/widget.js&quot; data-locale=&quot;es&quot;");
        for (String asset : new String[]{"/widget.js", "/widget/widget.css", "/css/shop.css"}) {
            HttpResponse<String> response = get(asset);
            assertThat(response.statusCode()).as(asset).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(asset)
                    .containsAnyOf("javascript", "text/css");
        }
    }

    @Test
    void demoShopShowsTheWidgetInEnglishOnRequestAndInSpanishForUnknownLanguages() throws Exception {
        assertThat(get("/demo?lang=en").body()).contains("data-locale=\"en\"");
        HttpResponse<String> unknown = get("/demo?lang=" + URLEncoder.encode("\"><script>", StandardCharsets.UTF_8));
        assertThat(unknown.statusCode()).isEqualTo(200);
        assertThat(unknown.body()).contains("data-locale=\"es\"").doesNotContain("\"><script>");
    }

    @Test
    void siteRootLeadsToTheDemoShop() throws Exception {
        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValueSatisfying(location -> assertThat(location).endsWith("/demo"));
    }

    @Test
    void adminPagesShareTheLayoutWithNavigationHtmxAndLogout() throws Exception {
        signInAsAdmin();

        HttpResponse<String> page = get("/admin/assistant");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body())
                .contains("href=\"/admin/knowledge\"", "href=\"/admin/assistant\"", "href=\"/agent\"")
                .contains("/webjars/htmx.org/2.0.4/dist/htmx.min.js", "/webjars/htmx-ext-sse/2.2.2/sse.js")
                .contains("/css/admin.css", "/js/admin.js")
                .contains("name=\"_csrf\"", "action=\"/logout\"");
        for (String asset : new String[]{"/webjars/htmx.org/2.0.4/dist/htmx.min.js", "/webjars/htmx-ext-sse/2.2.2/sse.js",
                "/css/admin.css", "/js/admin.js"}) {
            assertThat(get(asset).statusCode()).as(asset).isEqualTo(200);
        }
    }

    private void signInAsAdmin() throws Exception {
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(get("/login").body());
        assertThat(csrf.find()).as("the login form carries a CSRF token").isTrue();
        String form = "username=" + URLEncoder.encode("admin@soportemax.test", StandardCharsets.UTF_8)
                + "&password=test-admin-password&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(uri("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.headers().firstValue("Location").orElse("")).as("signed in").doesNotContain("error");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
