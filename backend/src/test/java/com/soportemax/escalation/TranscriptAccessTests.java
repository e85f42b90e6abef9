package com.soportemax.escalation;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.Reply;
import com.soportemax.WidgetClient.Staff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10: an agent reads only conversations waiting in the queue, their own, or ones they handled; admins read all;
 * any other id is a 404 (as if it did not exist), by page and by API; every staff read is recorded for admins.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class TranscriptAccessTests {

    @LocalServerPort
    int port;

    WidgetClient client;
    Staff lucia;
    Staff pablo;

    @BeforeEach
    void team() {
        client = new WidgetClient(port);
        lucia = client.newStaff("Lucía", "AGENT");
        pablo = client.newStaff("Pablo", "AGENT");
    }

    @Test
    void anAgentReadsAConversationWaitingInTheQueueButNotOnceAnotherAgentHasTakenIt() {
        Conversation conversation = escalated();
        assertThat(readings(conversation.id(), lucia)).containsOnly(200);

        claim(conversation, pablo);

        assertThat(readings(conversation.id(), lucia)).as("page, transcript fragment, messages, transcript, stream")
                .containsOnly(404);
        assertThat(client.send("POST", "/api/agent/conversations/" + conversation.id() + "/notes",
                "{\"text\":\"¿Lo miro yo?\"}", lucia.basic()).status()).isEqualTo(404);
        assertThat(readings(conversation.id(), pablo)).containsOnly(200);
        assertThat(readings(conversation.id(), adminStaff())).containsOnly(200);
    }

    @Test
    void aNeverEscalatedConversationIsForAdminsOnlyAndLooksLikeOneThatDoesNotExist() {
        Conversation quiet = client.start("es");

        assertThat(readings(quiet.id(), lucia)).containsOnly(404);
        assertThat(readings(UUID.randomUUID().toString(), lucia)).containsOnly(404);
        Reply neverEscalated = client.send("GET", "/api/agent/conversations/" + quiet.id() + "/messages", null,
                lucia.basic());
        Reply missing = client.send("GET", "/api/agent/conversations/" + UUID.randomUUID() + "/messages", null,
                lucia.basic());
        assertThat(neverEscalated.text("title")).isEqualTo(missing.text("title"));
        assertThat(readings(quiet.id(), adminStaff())).containsOnly(200);
        assertThat(readings(UUID.randomUUID().toString(), adminStaff())).containsOnly(404);
    }

    @Test
    void anAgentKeepsReadingAConversationTheyHandledAfterHandingItToAColleague() {
        Conversation conversation = escalated();
        claim(conversation, lucia);
        assertThat(client.send("POST", "/api/agent/conversations/" + conversation.id() + "/transfer",
                "{\"agentEmail\":\"" + pablo.email() + "\"}", lucia.basic()).status()).isEqualTo(204);

        assertThat(readings(conversation.id(), lucia)).containsOnly(200);
        assertThat(readings(conversation.id(), pablo)).containsOnly(200);
        Staff marta = client.newStaff("Marta", "AGENT");
        assertThat(readings(conversation.id(), marta)).containsOnly(404);
    }

    @Test
    void everyStaffReadOfATranscriptIsRecordedForAdminsAndRefusedReadsAreNot() {
        Conversation conversation = escalated();
        claim(conversation, pablo);
        client.send("GET", "/api/agent/conversations/" + conversation.id() + "/messages", null, pablo.basic());
        client.send("GET", "/api/agent/conversations/" + conversation.id() + "/transcript", null, pablo.basic());
        client.send("GET", "/agent/conversations/" + conversation.id(), null, WidgetClient.TEST_ADMIN);
        client.send("GET", "/api/agent/conversations/" + conversation.id() + "/messages", null, lucia.basic());

        Reply log = client.send("GET", "/api/admin/transcript-reads?conversation=" + conversation.id(), null,
                WidgetClient.TEST_ADMIN);

        assertThat(log.status()).isEqualTo(200);
        List<String> reads = new ArrayList<>();
        for (JsonNode read : log.json()) {
            assertThat(read.path("conversationId").asString()).isEqualTo(conversation.id());
            assertThat(read.path("at").asString()).isNotBlank();
            reads.add(read.path("staffEmail").asString() + " " + read.path("via").asString());
        }
        assertThat(reads).as("newest first").containsExactly("admin@soportemax.test PAGE",
                pablo.email() + " API", pablo.email() + " API");
        Reply page = client.send("GET", "/admin/transcript-reads?staff=" + pablo.email(), null, WidgetClient.TEST_ADMIN);
        assertThat(page.status()).isEqualTo(200);
        String table = page.raw().body().substring(page.raw().body().indexOf("id=\"transcript-reads\""));
        assertThat(page.raw().body()).contains("Lecturas de conversaciones");
        assertThat(table.substring(0, table.indexOf("</table>"))).contains(pablo.email(), conversation.id())
                .doesNotContain(lucia.email());
        assertThat(client.send("GET", "/api/admin/transcript-reads", null, pablo.basic()).status()).isEqualTo(403);
        assertThat(client.send("GET", "/admin/transcript-reads", null, pablo.basic()).status()).isEqualTo(403);
    }

    @Test
    void theQueueTellsWhoHoldsATicketButNotWhatTheCustomerWroteThere() {
        Conversation conversation = escalated();
        claim(conversation, pablo);

        JsonNode ticket = client.queue(lucia.basic()).stream()
                .filter(t -> t.path("conversationId").asString().equals(conversation.id())).findFirst().orElseThrow();
        assertThat(ticket.path("claimedBy").asString()).isEqualTo(pablo.email());
        assertThat(ticket.path("botDraft").isNull()).isTrue();
        String queuePage = client.send("GET", "/agent", null, lucia.basic()).raw().body();
        assertThat(queuePage).contains("La atiende otro agente.")
                .doesNotContain("href=\"/agent/conversations/" + conversation.id() + "\"");
    }

    /** Every way of reading a transcript: the page, its fragment, both JSON views and the live stream. */
    private List<Integer> readings(String conversationId, Staff reader) {
        List<Integer> statuses = new ArrayList<>();
        for (String path : List.of("/agent/conversations/" + conversationId,
                "/agent/conversations/" + conversationId + "/transcript",
                "/api/agent/conversations/" + conversationId + "/messages",
                "/api/agent/conversations/" + conversationId + "/transcript")) {
            statuses.add(client.send("GET", path, null, reader.basic()).status());
        }
        try (WidgetClient.EventStream stream = client.stream("/api/agent/events?conversation=" + conversationId,
                reader.basic(), null)) {
            statuses.add(stream.status);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        return statuses;
    }

    private Staff adminStaff() {
        return new Staff("admin@soportemax.test", "Admin", WidgetClient.TEST_ADMIN);
    }

    private Conversation escalated() {
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        await().atMost(Duration.ofSeconds(20)).until(() -> ticketOf(conversation) != null);
        return conversation;
    }

    private void claim(Conversation conversation, Staff agent) {
        Reply claimed = client.send("POST", "/api/agent/tickets/" + ticketOf(conversation).path("ticketId").asString()
                + "/claim", null, agent.basic());
        assertThat(claimed.status()).as(claimed.raw().body()).isEqualTo(200);
    }

    private JsonNode ticketOf(Conversation conversation) {
        return client.queue(WidgetClient.TEST_ADMIN).stream()
                .filter(ticket -> ticket.path("conversationId").asString().equals(conversation.id()))
                .findFirst().orElse(null);
    }
}
