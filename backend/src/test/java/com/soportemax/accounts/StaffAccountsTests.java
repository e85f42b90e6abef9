package com.soportemax.accounts;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class StaffAccountsTests {

    private static final String ADMIN = WidgetClient.basic("admin@soportemax.test", "test-admin-password");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    WidgetClient client;

    @BeforeEach
    void connect() {
        client = new WidgetClient(port);
    }

    @Test
    void theConfiguredAdminExistsWithOnlyABcryptHashOfThePassword() {
        String hash = jdbc.queryForObject("select password_hash from users where email = 'admin@soportemax.test'",
                String.class);

        assertThat(hash).startsWith("$2").doesNotContain("test-admin-password");
        assertThat(client.send("GET", "/api/admin/users", null, ADMIN).json())
                .anySatisfy(user -> assertThat(user.path("role").asString()).isEqualTo("ADMIN"));
    }

    @Test
    void theAdminApiNeedsHttpBasicAsAnAdmin() {
        String agentEmail = "agent-" + UUID.randomUUID() + "@soportemax.test";
        client.send("POST", "/api/admin/users", """
                {"email":"%s","displayName":"Ana","role":"AGENT","password":"agent-pass-1"}""".formatted(agentEmail),
                ADMIN);

        Reply anonymous = client.send("GET", "/api/admin/users", null, null);
        Reply wrongPassword = client.send("GET", "/api/admin/users", null,
                WidgetClient.basic("admin@soportemax.test", "not-the-password"));
        Reply agent = client.send("GET", "/api/admin/users", null, WidgetClient.basic(agentEmail, "agent-pass-1"));
        Reply admin = client.send("GET", "/api/admin/users", null, ADMIN);

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                value -> assertThat(value).startsWith("Basic"));
        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(agent.status()).isEqualTo(403);
        assertThat(admin.status()).isEqualTo(200);
    }

    @Test
    void anEmailAddressHasOneAccountAndBadInputIsNamed() {
        String email = "dup-" + UUID.randomUUID() + "@soportemax.test";
        String body = """
                {"email":"%s","displayName":"Ana","role":"AGENT","password":"agent-pass-1"}""".formatted(email);

        assertThat(client.send("POST", "/api/admin/users", body, ADMIN).status()).isEqualTo(201);
        assertThat(client.send("POST", "/api/admin/users", body.replace(email, email.toUpperCase()), ADMIN).status())
                .isEqualTo(409);
        Reply shortPassword = client.send("POST", "/api/admin/users", """
                {"email":"x-%s","displayName":"Ana","role":"AGENT","password":"short"}""".formatted(email), ADMIN);
        assertThat(shortPassword.status()).isEqualTo(400);
        assertThat(shortPassword.text("detail")).contains("password");
    }

    @Test
    void adminPagesAskToSignInWhileTheWidgetApiIsOpen() {
        // A browser's request (scripts without Accept get a Basic challenge instead, see StaffSecurityAttackTests).
        Reply page = client.page("/admin/knowledge");

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.raw().headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith("/login"));
        assertThat(client.send("POST", "/api/widget/conversations", null, null).status()).isEqualTo(201);
    }
}
