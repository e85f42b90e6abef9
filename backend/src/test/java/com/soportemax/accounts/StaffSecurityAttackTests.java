package com.soportemax.accounts;

import com.soportemax.MutableClock;
import com.soportemax.TestDatabase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attacks on staff accounts that worked against an earlier version, each of which must now fail: a cross-site form
 * riding on an agent's session cookie, password guessing (Basic and form), weak passwords, anonymous session floods.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestDatabase.class, StaffSecurityAttackTests.TestClock.class})
class StaffSecurityAttackTests {

    private static final String ADMIN = basic("admin@soportemax.test", "test-admin-password");

    @LocalServerPort
    int port;

    @Autowired
    MutableClock clock;

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClock {
        @Bean
        @Primary
        MutableClock mutableClock() {
            return new MutableClock();
        }
    }

    @Test
    void aCrossSiteFormRidingOnTheAgentsSessionCookieIsRefused() throws Exception {
        String agent = createAgent();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> signedIn = signIn(browser, agent, "a-good-password-12", "198.51.100.1");
        assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
        String sessionCookie = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(cookie -> cookie.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        assertThat(sessionCookie).containsIgnoringCase("SameSite=Lax").containsIgnoringCase("HttpOnly");
        assertThat(send(browser, HttpRequest.newBuilder(uri("/agent")).GET()).statusCode()).as("signed in").isEqualTo(200);

        // What a hostile page's <form method=post action=".../api/agent/..."> sends: the cookie, no token, no Basic.
        for (String path : List.of("/api/agent/tickets/" + UUID.randomUUID() + "/claim",
                "/api/agent/conversations/" + UUID.randomUUID() + "/close")) {
            HttpResponse<String> forged = send(browser, HttpRequest.newBuilder(uri(path))
                    .header("Origin", "https://attacker.example")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("x=1")));
            assertThat(forged.statusCode()).as(path).isEqualTo(401);
        }
        assertThat(send(browser, HttpRequest.newBuilder(uri("/api/agent/queue")).GET()).statusCode())
                .as("the API ignores the session cookie").isEqualTo(401);
        // The console's own forms need the CSRF token.
        HttpResponse<String> formWithoutToken = send(browser, HttpRequest.newBuilder(
                        uri("/agent/conversations/" + UUID.randomUUID() + "/close"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("")));
        assertThat(formWithoutToken.statusCode()).isEqualTo(403);
    }

    @Test
    void behindTlsTheSessionCookieIsSecureAndHstsIsSent() throws Exception {
        String agent = createAgent();
        // The trusted proxy (loopback here) says the client came over TLS; cookies are then Secure, so this
        // client carries them by hand (it talks plain HTTP to the application).
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<String> page = send(client, HttpRequest.newBuilder(uri("/login"))
                .header("X-Forwarded-Proto", "https").GET());
        assertThat(page.headers().firstValue("Strict-Transport-Security").orElse("")).contains("max-age=31536000");
        String csrfCookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN="))
                .findFirst().orElseThrow();
        assertThat(csrfCookie).containsIgnoringCase("; Secure").containsIgnoringCase("SameSite=Lax");
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        String form = "username=" + URLEncoder.encode(agent, StandardCharsets.UTF_8) + "&password=a-good-password-12"
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> signedIn = send(client, HttpRequest.newBuilder(uri("/login"))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "198.51.100.2")
                .header("Cookie", csrfCookie.substring(0, csrfCookie.indexOf(';')))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(signedIn.headers().firstValue("Location").orElse("")).startsWith("https://").doesNotContain("error");
        assertThat(signedIn.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("JSESSIONID=")))
                .singleElement().satisfies(cookie -> assertThat(cookie).containsIgnoringCase("; Secure"));
        HttpResponse<String> plain = send(client, HttpRequest.newBuilder(uri("/login")).GET());
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).as("never over plain HTTP").isEmpty();
    }

    @Test
    void guessingAPasswordOverBasicIsThrottledEvenForTheRightPassword() throws Exception {
        String agent = createAgent();
        String address = "198.51.100.3";
        for (int i = 0; i < 6; i++) {
            assertThat(agentApi(agent, "wrong-password-" + i, address).statusCode()).as("guess " + i).isEqualTo(401);
        }
        HttpResponse<String> blocked = agentApi(agent, "a-good-password-12", address);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        // From any other address too: the account itself is protected.
        assertThat(agentApi(agent, "a-good-password-12", "198.51.100.33").statusCode()).isEqualTo(429);

        clock.advance(Duration.ofSeconds(3));
        assertThat(agentApi(agent, "wrong-again-password", address).statusCode()).isEqualTo(401);
        HttpResponse<String> longer = agentApi(agent, "a-good-password-12", address);
        assertThat(longer.statusCode()).as("the back-off grows").isEqualTo(429);
        assertThat(Long.parseLong(longer.headers().firstValue("Retry-After").orElseThrow())).isGreaterThanOrEqualTo(4);

        clock.advance(Duration.ofSeconds(5));
        assertThat(agentApi(agent, "a-good-password-12", address).statusCode()).as("the agent gets in").isEqualTo(200);
    }

    @Test
    void guessingPasswordsInTheSignInFormIsThrottled() throws Exception {
        String agent = createAgent();
        String address = "198.51.100.4";
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        for (int i = 0; i < 6; i++) {
            assertThat(signIn(browser, agent, "wrong-password-" + i, address).headers().firstValue("Location").orElse(""))
                    .contains("error");
        }
        HttpResponse<String> blocked = signIn(browser, agent, "a-good-password-12", address);
        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void oneAddressTryingManyAccountsIsThrottled() throws Exception {
        String attacker = "203.0.113.9";
        for (int i = 0; i < 21; i++) {
            assertThat(agentApi("nobody" + i + "@soportemax.test", "guess-password-x", attacker).statusCode()).isEqualTo(401);
        }
        assertThat(agentApi("someone-else@soportemax.test", "guess-password-x", attacker).statusCode()).isEqualTo(429);
        assertThat(agentApi(createAgent(), "a-good-password-12", "203.0.113.10").statusCode())
                .as("other addresses are not affected").isEqualTo(200);
    }

    @Test
    void weakAndOverlongPasswordsAreRefusedWithTheFieldNamed() throws Exception {
        HttpResponse<String> weak = createAccount("weak-" + UUID.randomUUID() + "@soportemax.test", "aaaaaaaa");
        assertThat(weak.statusCode()).isEqualTo(400);
        assertThat(weak.body()).contains("\"field\":\"password\"").contains("at least 12 characters");

        HttpResponse<String> overlong = createAccount("long-" + UUID.randomUUID() + "@soportemax.test", "ñ".repeat(40));
        assertThat(overlong.statusCode()).isEqualTo(400);
        assertThat(overlong.body()).contains("\"field\":\"password\"").contains("80 bytes").contains("72");

        assertThat(createAccount("ok-" + UUID.randomUUID() + "@soportemax.test", "twelve-chars").statusCode()).isEqualTo(201);
    }

    @Test
    void anonymousVisitorsGetNoHttpSession() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of("/agent", "/admin/knowledge", "/agent/conversations/" + UUID.randomUUID(), "/login",
                "/demo", "/actuator/health")) {
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> response = send(client, HttpRequest.newBuilder(uri(path))
                        .header("Accept", "text/html").GET());
                assertThat(response.headers().allValues("Set-Cookie")).as(path)
                        .noneMatch(cookie -> cookie.startsWith("JSESSIONID"));
            }
        }
        HttpResponse<String> widget = send(client, HttpRequest.newBuilder(uri("/api/widget/conversations"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(widget.statusCode()).isEqualTo(201);
        assertThat(widget.headers().allValues("Set-Cookie")).isEmpty();
    }

    @Test
    void theApiDescriptionIsForAdminsOnly() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of("/v3/api-docs", "/swagger-ui.html", "/swagger-ui/index.html")) {
            assertThat(send(client, HttpRequest.newBuilder(uri(path)).GET()).statusCode()).as(path).isIn(302, 401);
        }
        HttpResponse<String> admin = send(client, HttpRequest.newBuilder(uri("/v3/api-docs"))
                .header("Authorization", ADMIN).GET());
        assertThat(admin.statusCode()).isEqualTo(200);
        assertThat(admin.body()).contains("/api/admin/users");
        String agent = createAgent();
        assertThat(send(client, HttpRequest.newBuilder(uri("/v3/api-docs"))
                .header("Authorization", basic(agent, "a-good-password-12")).GET()).statusCode()).isEqualTo(403);
    }

    @Test
    void pagesForbidInlineScriptsFramingAndReferrerLeaks() throws Exception {
        for (String path : List.of("/demo", "/login")) {
            HttpResponse<String> page = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri(path)).GET());
            String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
            assertThat(csp).as(path).contains("script-src 'self'", "object-src 'none'", "frame-ancestors 'self'")
                    .doesNotContain("unsafe-eval").doesNotContainPattern("script-src[^;]*unsafe-inline");
            assertThat(page.headers().firstValue("Referrer-Policy")).as(path).contains("strict-origin-when-cross-origin");
            assertThat(page.headers().firstValue("Permissions-Policy").orElse("")).as(path).contains("camera=()");
            assertThat(page.headers().firstValue("X-Content-Type-Options")).as(path).contains("nosniff");
            assertThat(page.body()).as(path).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                    .doesNotContainPattern("\\son[a-z]+\\s*=").doesNotContain("javascript:");
        }
    }

    private String createAgent() throws Exception {
        String email = "agent-" + UUID.randomUUID() + "@soportemax.test";
        HttpResponse<String> created = createAccount(email, "a-good-password-12");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        return email;
    }

    private HttpResponse<String> createAccount(String email, String password) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"displayName\":\"Agente\",\"role\":\"AGENT\",\"password\":\""
                + password + "\"}";
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri("/api/admin/users"))
                .header("Authorization", ADMIN).header("Content-Type", "application/json")
                .header("X-Forwarded-For", "192.0.2.250")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> agentApi(String email, String password, String address) throws Exception {
        return send(HttpClient.newHttpClient(), HttpRequest.newBuilder(uri("/api/agent/queue"))
                .header("Authorization", basic(email, password)).header("X-Forwarded-For", address).GET());
    }

    private HttpResponse<String> signIn(HttpClient browser, String email, String password, String address) throws Exception {
        return signIn(browser, email, password, address, false);
    }

    private HttpResponse<String> signIn(HttpClient browser, String email, String password, String address, boolean tls)
            throws Exception {
        HttpRequest.Builder loginPage = HttpRequest.newBuilder(uri("/login")).header("X-Forwarded-For", address).GET();
        if (tls) {
            loginPage.header("X-Forwarded-Proto", "https");
        }
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(send(browser, loginPage).body());
        assertThat(csrf.find()).as("the login form carries a CSRF token").isTrue();
        String form = "username=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8)
                + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpRequest.Builder post = HttpRequest.newBuilder(uri("/login")).header("X-Forwarded-For", address)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (tls) {
            post.header("X-Forwarded-Proto", "https");
        }
        return send(browser, post);
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
