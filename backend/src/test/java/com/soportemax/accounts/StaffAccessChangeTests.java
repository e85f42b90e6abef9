package com.soportemax.accounts;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Staff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 8/10: an admin disabling a staff account ends what that person holds open at once (their signed-in session,
 * their live stream, their API credentials); a role change applies from the person's next request, without signing
 * in again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class StaffAccessChangeTests {

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    @LocalServerPort
    int port;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    WidgetClient client;
    /** Sign-ins are throttled per address: each test signs in from an address of its own. */
    String address;

    @BeforeEach
    void setUp() {
        client = new WidgetClient(port);
        address = "10.%d.%d.%d".formatted(ThreadLocalRandom.current().nextInt(1, 250),
                ThreadLocalRandom.current().nextInt(1, 250), ThreadLocalRandom.current().nextInt(1, 250));
    }

    @Test
    void disablingAnAgentEndsTheirSessionTheirLiveStreamAndTheirApiAccessAtOnce() throws Exception {
        Staff lucia = client.newStaff("Lucía", "AGENT");
        Browser agent = signedIn(lucia.email(), WidgetClient.STAFF_PASSWORD);
        assertThat(agent.get("/agent").statusCode()).isEqualTo(200);
        HttpResponse<InputStream> stream = agent.http.send(agent.request("/agent/events")
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(200);
        CompletableFuture<Integer> streamEnd = CompletableFuture.supplyAsync(() -> readToEnd(stream.body()));

        Browser admin = signedIn("admin@soportemax.test", "test-admin-password");
        HttpResponse<String> disabled = admin.postForm("/admin/staff/" + idOf(lucia) + "/enabled", "enabled=false",
                "/admin/staff");
        assertThat(disabled.statusCode()).isEqualTo(302);

        assertThat(streamEnd.get(20, TimeUnit.SECONDS)).as("the open stream was closed by the server").isNotNull();
        HttpResponse<String> next = agent.get("/agent");
        assertThat(next.statusCode()).isEqualTo(302);
        assertThat(next.headers().firstValue("Location").orElse("")).endsWith("/login");
        assertThat(agent.get("/agent").statusCode()).as("the session is gone, not merely refused once").isEqualTo(302);
        assertThat(client.send("GET", "/api/agent/queue", null, lucia.basic()).status()).isEqualTo(401);
        HttpResponse<String> again = signIn(new Browser(), lucia.email(), WidgetClient.STAFF_PASSWORD);
        assertThat(again.headers().firstValue("Location").orElse("")).contains("/login?error");
    }

    @Test
    void aRoleChangeAppliesFromTheNextRequestOfAnOpenSession() throws Exception {
        Staff pablo = client.newStaff("Pablo", "AGENT");
        Browser agent = signedIn(pablo.email(), WidgetClient.STAFF_PASSWORD);
        assertThat(agent.get("/admin/staff").statusCode()).isEqualTo(403);

        assertThat(client.send("PUT", "/api/admin/users/" + idOf(pablo) + "/role", "{\"role\":\"ADMIN\"}",
                WidgetClient.TEST_ADMIN).status()).isEqualTo(200);
        assertThat(agent.get("/admin/staff").statusCode()).as("promoted: the admin pages open").isEqualTo(200);
        assertThat(client.send("GET", "/api/admin/users", null, pablo.basic()).status()).isEqualTo(200);

        Browser admin = signedIn("admin@soportemax.test", "test-admin-password");
        assertThat(admin.postForm("/admin/staff/" + idOf(pablo) + "/role", "role=AGENT", "/admin/staff").statusCode())
                .isEqualTo(302);
        assertThat(agent.get("/admin/staff").statusCode()).as("demoted: refused again").isEqualTo(403);
        assertThat(agent.get("/agent").statusCode()).as("still signed in as an agent").isEqualTo(200);
        assertThat(client.send("GET", "/api/admin/users", null, pablo.basic()).status()).isEqualTo(403);
    }

    @Test
    void anAdminDeletingAnAccountInTheBrowserEndsItsSessionAndItCannotSignInAgain() throws Exception {
        Staff nora = client.newStaff("Nora", "AGENT");
        Browser agent = signedIn(nora.email(), WidgetClient.STAFF_PASSWORD);
        assertThat(agent.get("/agent").statusCode()).isEqualTo(200);

        Browser admin = signedIn("admin@soportemax.test", "test-admin-password");
        assertThat(admin.postForm("/admin/staff/" + idOf(nora) + "/delete", "", "/admin/staff").statusCode())
                .isEqualTo(302);

        String staffPage = admin.get("/admin/staff").body();
        assertThat(staffPage).contains("Cuenta eliminada").doesNotContain(nora.email());
        HttpResponse<String> next = agent.get("/agent");
        if (next.headers().firstValue("Location").orElse("").endsWith("/agent")) {
            next = agent.get("/agent");
        }
        assertThat(next.statusCode()).isEqualTo(302);
        assertThat(next.headers().firstValue("Location").orElse("")).endsWith("/login");
        assertThat(client.send("GET", "/api/agent/queue", null, nora.basic()).status()).isEqualTo(401);
        HttpResponse<String> again = signIn(new Browser(), nora.email(), WidgetClient.STAFF_PASSWORD);
        assertThat(again.headers().firstValue("Location").orElse("")).contains("/login?error");
    }

    @Test
    void resettingAPasswordEndsTheSessionsSignedInWithTheOldOne() throws Exception {
        Staff irene = client.newStaff("Irene", "AGENT");
        Browser agent = signedIn(irene.email(), WidgetClient.STAFF_PASSWORD);
        assertThat(agent.get("/agent").statusCode()).isEqualTo(200);

        Browser admin = signedIn("admin@soportemax.test", "test-admin-password");
        assertThat(admin.postForm("/admin/staff/" + idOf(irene) + "/password", "password=una-clave-nueva-larga",
                "/admin/staff").statusCode()).isEqualTo(302);

        // The notice arrives through the database a moment after the commit.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> next = agent.get("/agent");
            if (next.headers().firstValue("Location").orElse("").endsWith("/agent")) {
                next = agent.get("/agent");
            }
            assertThat(next.headers().firstValue("Location").orElse("")).endsWith("/login");
        });
        assertThat(admin.get("/admin/staff").statusCode()).as("the admin's own session goes on").isEqualTo(200);
        assertThat(signIn(new Browser(), irene.email(), "una-clave-nueva-larga").headers().firstValue("Location")
                .orElse("")).doesNotContain("error");
    }

    @Test
    void aPasswordChangedWhereThisNodeHeardNothingStillEndsTheSessionAtItsNextRequest() throws Exception {
        Staff jaime = client.newStaff("Jaime", "AGENT");
        Browser agent = signedIn(jaime.email(), WidgetClient.STAFF_PASSWORD);
        assertThat(agent.get("/agent").statusCode()).isEqualTo(200);

        // Written straight to the database, as another node would without its notice arriving here.
        jdbc.update("update users set password_hash = ? where email = ?",
                new org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder(4).encode("otra-clave-larga-1"),
                jaime.email());

        HttpResponse<String> next = agent.get("/agent");
        assertThat(next.statusCode()).isEqualTo(302);
        assertThat(next.headers().firstValue("Location").orElse("")).endsWith("/login");
        assertThat(agent.get("/agent").statusCode()).as("the session is gone").isEqualTo(302);
    }

    @Test
    void theStaffPageSaysWhyAChangeIsRefusedInTheAdminsLanguage() throws Exception {
        Browser admin = signedIn("admin@soportemax.test", "test-admin-password");
        String self = client.send("GET", "/api/admin/users", null, WidgetClient.TEST_ADMIN).json().valueStream()
                .filter(account -> account.path("email").asString().equals("admin@soportemax.test"))
                .findFirst().orElseThrow().path("id").asString();

        admin.postForm("/admin/staff/" + self + "/delete", "", "/admin/staff");
        assertThat(admin.get("/admin/staff").body()).contains("No puedes desactivar ni eliminar tu propia cuenta.")
                .doesNotContain("You cannot");
        admin.postForm("/admin/staff", "email=x%40soportemax.test&displayName=X&role=AGENT&password=corta",
                "/admin/staff");
        assertThat(admin.get("/admin/staff").body()).contains("La contraseña debe tener al menos 12 caracteres")
                .doesNotContain("The password");

        admin.get("/admin/staff?lang=en");
        admin.postForm("/admin/staff/" + self + "/enabled", "enabled=false", "/admin/staff");
        assertThat(admin.get("/admin/staff").body()).contains("You cannot disable or delete your own account.");
    }

    @Test
    void aThrottledSignInShowsAPageInThePersonsLanguageNotJson() throws Exception {
        Staff sara = client.newStaff("Sara", "AGENT");
        Browser browser = new Browser();
        for (int i = 0; i < 6; i++) {
            signIn(browser, sara.email(), "not-her-password-" + i);
        }
        Matcher csrf = CSRF.matcher(browser.get("/login").body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> blocked = browser.http.send(browser.request("/login")
                .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(sara.email(),
                        StandardCharsets.UTF_8) + "&password=" + WidgetClient.STAFF_PASSWORD + "&_csrf="
                        + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(blocked.headers().firstValue("Retry-After")).isPresent();
        assertThat(blocked.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(blocked.body()).contains("Demasiados intentos de inicio de sesión", "/css/admin.css")
                .doesNotContain("\"status\"", "Too many");
    }

    @Test
    void theAccountsApiDisablesAndChangesRolesWithClearErrors() {
        Staff marta = client.newStaff("Marta", "AGENT");
        WidgetClient.Reply disabled = client.send("PUT", "/api/admin/users/" + idOf(marta) + "/enabled",
                "{\"enabled\":false}", WidgetClient.TEST_ADMIN);
        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
        assertThat(client.send("GET", "/api/agent/queue", null, marta.basic()).status()).isEqualTo(401);
        assertThat(client.send("PUT", "/api/admin/users/" + idOf(marta) + "/role", "{\"role\":\"BOSS\"}",
                WidgetClient.TEST_ADMIN).status()).isEqualTo(400);
        assertThat(client.send("PUT", "/api/admin/users/" + java.util.UUID.randomUUID() + "/enabled",
                "{\"enabled\":true}", WidgetClient.TEST_ADMIN).status()).isEqualTo(404);
        assertThat(client.send("PUT", "/api/admin/users/" + idOf(marta) + "/enabled", "{\"enabled\":true}",
                marta.basic()).status()).isEqualTo(401);
        assertThat(client.send("DELETE", "/api/admin/users/" + java.util.UUID.randomUUID(), null,
                WidgetClient.TEST_ADMIN).status()).isEqualTo(404);
        assertThat(client.send("DELETE", "/api/admin/users/" + idOf(marta), null, WidgetClient.TEST_ADMIN).status())
                .isEqualTo(204);
        assertThat(client.send("GET", "/api/admin/users", null, WidgetClient.TEST_ADMIN).raw().body())
                .doesNotContain(marta.email());
    }

    private String idOf(Staff staff) {
        for (var account : client.send("GET", "/api/admin/users", null, WidgetClient.TEST_ADMIN).json()) {
            if (account.path("email").asString().equals(staff.email())) {
                return account.path("id").asString();
            }
        }
        throw new AssertionError("No account " + staff.email());
    }

    private static Integer readToEnd(InputStream body) {
        try (body) {
            byte[] buffer = new byte[1024];
            int total = 0;
            for (int read; (read = body.read(buffer)) >= 0; ) {
                total += read;
            }
            return total;
        } catch (IOException closed) {
            return -1;
        }
    }

    private Browser signedIn(String email, String password) throws Exception {
        Browser browser = new Browser();
        HttpResponse<String> signedIn = signIn(browser, email, password);
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
        return browser;
    }

    private HttpResponse<String> signIn(Browser browser, String email, String password) throws Exception {
        return browser.postForm("/login", "username=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8), "/login");
    }

    /** A browser as far as cookies go: its own session and CSRF cookies, redirects not followed. */
    private final class Browser {
        final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30)).header("X-Forwarded-For", address);
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(request(path).header("Accept", "text/html").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** Posts a form as the page {@code formPage} would, with its CSRF token. */
        HttpResponse<String> postForm(String path, String form, String formPage) throws Exception {
            Matcher csrf = CSRF.matcher(get(formPage).body());
            assertThat(csrf.find()).as("a CSRF token on " + formPage).isTrue();
            return http.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form + "&_csrf="
                            + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
