package com.soportemax.escalation;

import com.soportemax.SoporteMaxApplication;
import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.Event;
import com.soportemax.WidgetClient.EventStream;
import com.soportemax.WidgetClient.Staff;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import tools.jackson.databind.JsonNode;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application nodes on one database: this test's context (node A) and a second one started beside it (node B),
 * each with its own web server. Live updates travel through PostgreSQL, never through one JVM's memory; so does a
 * change to a staff account's access, which ends that person's sessions and streams on every node at once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class TwoNodeLiveUpdatesTests {

    private static ConfigurableApplicationContext nodeB;

    @LocalServerPort
    int portA;

    WidgetClient nodeA;
    WidgetClient onB;

    @BeforeEach
    void startSecondNode() {
        if (nodeB == null) {
            nodeB = new SpringApplicationBuilder(SoporteMaxApplication.class, TestDatabase.class)
                    .run("--server.port=0", "--spring.main.banner-mode=off");
        }
        nodeA = new WidgetClient(portA);
        onB = new WidgetClient(Integer.parseInt(nodeB.getEnvironment().getProperty("local.server.port")));
    }

    @AfterAll
    static void stopSecondNode() {
        if (nodeB != null) {
            nodeB.close();
            nodeB = null;
        }
    }

    @Test
    void aCustomerStreamingFromOneNodeSeesTheReplyAnAgentSendsThroughTheOther() throws Exception {
        Staff agent = onB.newStaff("Lucía", "AGENT");
        Conversation conversation = nodeA.start("es");
        nodeA.escalate(conversation);
        String ticketId = awaitTicket(onB, conversation, agent).path("ticketId").asString();

        try (EventStream customer = nodeA.events(conversation, null)) {
            customer.awaitReplayed();
            assertThat(onB.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent.basic()).status())
                    .isEqualTo(200);
            assertThat(onB.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                    "{\"text\":\"Hola, soy Lucía desde el otro nodo.\"}", agent.basic()).status()).isEqualTo(202);

            assertThat(customer.next("message").json().path("text").asString())
                    .isEqualTo("Lucía se ha unido a la conversación.");
            assertThat(customer.next("state").json().path("state").asString()).isEqualTo("AGENT");
            JsonNode reply = customer.next("message").json();
            assertThat(reply.path("role").asString()).isEqualTo("AGENT");
            assertThat(reply.path("authorName").asString()).isEqualTo("Lucía");
            assertThat(reply.path("text").asString()).isEqualTo("Hola, soy Lucía desde el otro nodo.");
        }
    }

    @Test
    void anEscalationOnOneNodeAppearsInAnAgentsStreamOnTheOther() {
        Staff agent = onB.newStaff("Jorge", "AGENT");
        try (EventStream agentStream = onB.stream("/api/agent/events", agent.basic(), null)) {
            assertThat(agentStream.status).isEqualTo(200);
            agentStream.awaitReplayed();
            Conversation conversation = nodeA.start("es");

            nodeA.escalate(conversation);

            Event queued;
            do {
                queued = agentStream.next("queue");
            } while (!queued.json().path("conversationId").asString().equals(conversation.id()));
            assertThat(queued.json().path("change").asString()).isEqualTo("new");
            assertThat(queued.id()).isNotBlank();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anAgentStreamResumedWithLastEventIdGetsWhatHappenedMeanwhile() throws Exception {
        Staff agent = onB.newStaff("Marta", "AGENT");
        Conversation first = nodeA.start("es");
        String lastSeen;
        try (EventStream agentStream = onB.stream("/api/agent/events", agent.basic(), null)) {
            agentStream.awaitReplayed();
            nodeA.escalate(first);
            Event queued;
            do {
                queued = agentStream.next("queue");
            } while (!queued.json().path("conversationId").asString().equals(first.id()));
            lastSeen = queued.id();
        }
        Conversation meanwhile = nodeA.start("en");
        nodeA.escalate(meanwhile);
        awaitTicket(onB, meanwhile, agent);

        try (EventStream resumed = nodeA.stream("/api/agent/events", agent.basic(), lastSeen)) {
            Event queued;
            do {
                queued = resumed.next("queue");
            } while (!queued.json().path("conversationId").asString().equals(meanwhile.id()));
            assertThat(queued.json().path("change").asString()).isEqualTo("new");
            assertThat(Long.parseLong(queued.id())).isGreaterThan(Long.parseLong(lastSeen));
        }
    }

    @Test
    void aRoleChangeOnOneNodeEndsTheAgentsStreamOnTheOtherAtOnce() throws Exception {
        Staff agent = onB.newStaff("Rosa", "AGENT");
        try (EventStream stream = onB.stream("/api/agent/events", agent.basic(), null)) {
            stream.awaitReplayed();

            assertThat(nodeA.send("PUT", "/api/admin/users/" + idOf(agent) + "/role", "{\"role\":\"ADMIN\"}",
                    WidgetClient.TEST_ADMIN).status()).isEqualTo(200);

            // Still enabled, so no check of node B's own ends it: only the notice from node A can.
            stream.ended().get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void disablingAnAccountOnOneNodeEndsItsSessionAndStreamsOnTheOther() throws Exception {
        Staff agent = onB.newStaff("Tomás", "AGENT");
        SignedIn browser = signIn(portB(), agent.email());
        assertThat(browser.get("/agent").statusCode()).isEqualTo(200);
        EventStream pageStream = browser.stream("/agent/events");
        EventStream apiStream = onB.stream("/api/agent/events", agent.basic(), null);
        pageStream.awaitReplayed();
        apiStream.awaitReplayed();
        SessionRegistry sessionsOnB = nodeB.getBean(SessionRegistry.class);
        assertThat(sessionsOf(sessionsOnB, agent.email())).isNotEmpty().noneMatch(SessionInformation::isExpired);

        assertThat(nodeA.send("PUT", "/api/admin/users/" + idOf(agent) + "/enabled", "{\"enabled\":false}",
                WidgetClient.TEST_ADMIN).status()).isEqualTo(200);

        pageStream.ended().get(20, TimeUnit.SECONDS);
        apiStream.ended().get(20, TimeUnit.SECONDS);
        // Expired by the notice, before the session's next request (which would end it by itself).
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(sessionsOf(sessionsOnB, agent.email())).allMatch(SessionInformation::isExpired));
        // The session ended (when its stream ended, or at this request): the page sends to the sign-in page.
        HttpResponse<String> next = browser.get("/agent");
        assertThat(next.statusCode()).isEqualTo(302);
        if (next.headers().firstValue("Location").orElse("").endsWith("/agent")) {
            next = browser.get("/agent");
            assertThat(next.statusCode()).isEqualTo(302);
        }
        assertThat(next.headers().firstValue("Location").orElse("")).endsWith("/login");
    }

    @Test
    void deletingAnAccountOnOneNodeEndsItsSessionOnTheOther() throws Exception {
        Staff agent = onB.newStaff("Inés", "AGENT");
        SignedIn browser = signIn(portB(), agent.email());
        assertThat(browser.get("/agent").statusCode()).isEqualTo(200);
        SessionRegistry sessionsOnB = nodeB.getBean(SessionRegistry.class);

        assertThat(nodeA.send("DELETE", "/api/admin/users/" + idOf(agent), null, WidgetClient.TEST_ADMIN).status())
                .isEqualTo(204);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(sessionsOf(sessionsOnB, agent.email())).isNotEmpty().allMatch(SessionInformation::isExpired));
        HttpResponse<String> expired = browser.get("/agent/queue");
        assertThat(expired.statusCode()).isEqualTo(302);
        assertThat(expired.headers().firstValue("Location").orElse("")).as("back to the page, which asks to sign in")
                .endsWith("/agent/queue");
        HttpResponse<String> next = browser.get("/agent/queue");
        assertThat(next.statusCode()).isEqualTo(302);
        assertThat(next.headers().firstValue("Location").orElse("")).endsWith("/login");
        assertThat(onB.send("GET", "/api/agent/queue", null, agent.basic()).status()).isEqualTo(401);
    }

    private int portB() {
        return Integer.parseInt(nodeB.getEnvironment().getProperty("local.server.port"));
    }

    private static List<SessionInformation> sessionsOf(SessionRegistry registry, String email) {
        return registry.getAllPrincipals().stream()
                .filter(principal -> principal instanceof UserDetails user && user.getUsername().equalsIgnoreCase(email))
                .flatMap(principal -> registry.getAllSessions(principal, true).stream()).toList();
    }

    private String idOf(Staff staff) {
        for (JsonNode account : nodeA.send("GET", "/api/admin/users", null, WidgetClient.TEST_ADMIN).json()) {
            if (account.path("email").asString().equals(staff.email())) {
                return account.path("id").asString();
            }
        }
        throw new AssertionError("No account " + staff.email());
    }

    private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

    /** Signs in through the sign-in form of the node on {@code port}, from an address of its own (sign-ins are throttled per address). */
    private static SignedIn signIn(int port, String email) throws Exception {
        SignedIn browser = new SignedIn(port, "10.%d.%d.%d".formatted(ThreadLocalRandom.current().nextInt(1, 250),
                ThreadLocalRandom.current().nextInt(1, 250), ThreadLocalRandom.current().nextInt(1, 250)));
        Matcher csrf = CSRF.matcher(browser.get("/login").body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> signedIn = browser.http.send(browser.request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=" + URLEncoder.encode(email, StandardCharsets.UTF_8)
                        + "&password=" + URLEncoder.encode(WidgetClient.STAFF_PASSWORD, StandardCharsets.UTF_8)
                        + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElse("")).doesNotContain("error");
        return browser;
    }

    /** A browser as far as cookies go, on one node. */
    private record SignedIn(int port, String address, HttpClient http) {
        SignedIn(int port, String address) {
            this(port, address, HttpClient.newBuilder().cookieHandler(new CookieManager()).build());
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30)).header("X-Forwarded-For", address);
        }

        HttpResponse<String> get(String path) throws Exception {
            return http.send(request(path).header("Accept", "text/html").GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        EventStream stream(String path) throws Exception {
            return new WidgetClient(port).new EventStream(http.send(request(path).header("Accept", "text/event-stream")
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream()));
        }
    }

    private static JsonNode awaitTicket(WidgetClient client, Conversation conversation, Staff agent) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            found[0] = null;
            for (JsonNode ticket : client.queue(agent.basic())) {
                if (ticket.path("conversationId").asString().equals(conversation.id())) {
                    found[0] = ticket;
                }
            }
            assertThat(found[0]).as("ticket of " + conversation.id()).isNotNull();
        });
        return found[0];
    }
}
