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
import tools.jackson.databind.JsonNode;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two application nodes on one database: this test's context (node A) and a second one started beside it (node B),
 * each with its own web server. Live updates travel through PostgreSQL, never through one JVM's memory.
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
