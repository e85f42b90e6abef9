package com.soportemax.escalation;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.EventStream;
import com.soportemax.WidgetClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class AgentQueueTests {

    private static final String ADMIN = WidgetClient.basic("admin@soportemax.test", "test-admin-password");
    private static final String PASSWORD = "agent-password-1";

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
    void anEscalatedConversationWaitsInTheQueueWithItsReason() {
        String agent = newAgent("Lucía");
        Conversation conversation = client.start("es");

        client.escalate(conversation);

        JsonNode ticket = awaitTicket(conversation, agent);
        assertThat(ticket.path("reason").asString()).isEqualTo("CUSTOMER_REQUEST");
        assertThat(ticket.path("status").asString()).isEqualTo("OPEN");
        assertThat(ticket.path("detail").asString()).isNotBlank();
    }

    @Test
    void anAgentWhoClaimsJoinsAndTheirRepliesReachTheCustomerLive() throws Exception {
        String agent = newAgent("Lucía");
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        String ticketId = awaitTicket(conversation, agent).path("ticketId").asString();

        try (EventStream stream = client.events(conversation, null)) {
            stream.awaitReplayed();
            Reply claimed = client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent);
            Reply replied = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                    "{\"text\":\"Hola, soy Lucía. ¿En qué te ayudo?\"}", agent);

            assertThat(claimed.status()).isEqualTo(200);
            assertThat(claimed.text("status")).isEqualTo("CLAIMED");
            assertThat(replied.status()).isEqualTo(202);
            assertThat(stream.next("message").json().path("text").asString()).isEqualTo("Lucía se ha unido a la conversación.");
            assertThat(stream.next("state").json().path("state").asString()).isEqualTo("AGENT");
            JsonNode live = stream.next("message").json();
            assertThat(live.path("role").asString()).isEqualTo("AGENT");
            assertThat(live.path("authorName").asString()).isEqualTo("Lucía");
            assertThat(live.path("text").asString()).isEqualTo("Hola, soy Lucía. ¿En qué te ayudo?");
        }
        Reply read = client.messages(conversation, 0);
        assertThat(read.text("state")).isEqualTo("AGENT");
        assertThat(read.json().path("messages")).extracting(message -> message.path("role").asString())
                .containsExactly("SYSTEM", "SYSTEM", "AGENT");
    }

    @Test
    void ofTwoAgentsClaimingAtOnceExactlyOneWins() throws Exception {
        String first = newAgent("Marta");
        String second = newAgent("Jorge");
        for (int round = 0; round < 3; round++) {
            Conversation conversation = client.start("es");
            client.escalate(conversation);
            String ticketId = awaitTicket(conversation, first).path("ticketId").asString();
            CyclicBarrier together = new CyclicBarrier(2);
            List<Callable<Reply>> claims = new ArrayList<>();
            for (String agent : List.of(first, second)) {
                claims.add(() -> {
                    together.await();
                    return client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent);
                });
            }

            List<Integer> statuses = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
                for (Future<Reply> claim : threads.invokeAll(claims)) {
                    statuses.add(claim.get().status());
                }
            }

            assertThat(statuses).containsExactlyInAnyOrder(200, 409);
            assertThat(client.messages(conversation, 0).json().path("messages"))
                    .filteredOn(message -> message.path("text").asString().contains("se ha unido")).hasSize(1);
        }
    }

    @Test
    void onlyTheAgentInChargeMayReply() {
        String lucia = newAgent("Lucía");
        String pablo = newAgent("Pablo");
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        String ticketId = awaitTicket(conversation, lucia).path("ticketId").asString();
        client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, lucia);

        Reply intruder = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                "{\"text\":\"Hola\"}", pablo);

        // Another agent's conversation is not Pablo's to read either (issue 10): as if it did not exist.
        assertThat(intruder.status()).isEqualTo(404);
        assertThat(client.messages(conversation, 0).json().path("messages"))
                .noneMatch(message -> message.path("role").asString().equals("AGENT"));
    }

    @Test
    void closingResolvesTheTicketAndInvitesTheCustomerToRate() {
        String agent = newAgent("Lucía");
        Conversation conversation = client.start("en");
        client.escalate(conversation);
        String ticketId = awaitTicket(conversation, agent).path("ticketId").asString();
        client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent);

        Reply closed = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/close", null, agent);

        assertThat(closed.status()).isEqualTo(204);
        Reply read = client.messages(conversation, 0);
        assertThat(read.text("state")).isEqualTo("CLOSED");
        JsonNode messages = read.json().path("messages");
        assertThat(messages.get(messages.size() - 1).path("text").asString()).contains("How did we do?");
        assertThat(client.queue(agent))
                .noneMatch(ticket -> ticket.path("ticketId").asString().equals(ticketId));
        assertThat(client.send("POST", "/api/widget/conversations/" + conversation.id() + "/rating",
                "{\"score\":5,\"comment\":\"Great\"}", conversation.bearer()).status()).isEqualTo(201);
    }

    @Test
    void aCustomerWhoLeavesWhileWaitingLeavesTheQueue() {
        String agent = newAgent("Lucía");
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        String ticketId = awaitTicket(conversation, agent).path("ticketId").asString();

        client.send("POST", "/api/widget/conversations/" + conversation.id() + "/close", null, conversation.bearer());

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client.queue(agent))
                        .noneMatch(ticket -> ticket.path("ticketId").asString().equals(ticketId)));
        assertThat(client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent).status())
                .isEqualTo(409);
    }

    @Test
    void theAgentApiNeedsAnAgentOrAdminAccount() {
        assertThat(client.send("GET", "/api/agent/queue", null, null).status()).isEqualTo(401);
        assertThat(client.send("GET", "/api/agent/queue", null, WidgetClient.basic("nobody@x.test", "whatever1"))
                .status()).isEqualTo(401);
        assertThat(client.send("GET", "/api/agent/queue", null, ADMIN).status()).isEqualTo(200);
    }

    private String newAgent(String name) {
        String email = name.toLowerCase().replace("í", "i") + "-" + UUID.randomUUID() + "@soportemax.test";
        Reply created = client.send("POST", "/api/admin/users", """
                {"email":"%s","displayName":"%s","role":"AGENT","password":"%s"}""".formatted(email, name, PASSWORD),
                ADMIN);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return WidgetClient.basic(email, PASSWORD);
    }

    private JsonNode awaitTicket(Conversation conversation, String agent) {
        JsonNode[] found = new JsonNode[1];
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            found[0] = null;
            for (JsonNode ticket : client.queue(agent)) {
                if (ticket.path("conversationId").asString().equals(conversation.id())) {
                    found[0] = ticket;
                }
            }
            assertThat(found[0]).as("ticket of " + conversation.id()).isNotNull();
        });
        return found[0];
    }
}
