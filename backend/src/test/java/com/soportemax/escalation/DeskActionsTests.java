package com.soportemax.escalation;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.EventStream;
import com.soportemax.WidgetClient.Reply;
import com.soportemax.WidgetClient.Staff;
import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
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
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What agents do in a conversation, through the agents' API, seen from both sides: the customer's and the desk's. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class DeskActionsTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BotReplies botReplies;

    WidgetClient client;

    @BeforeEach
    void connect() {
        client = new WidgetClient(port);
    }

    @Test
    void ofTwentyAgentsClaimingAtOnceExactlyOneWins() throws Exception {
        List<Staff> agents = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            agents.add(client.newStaff("Agente " + i, "AGENT"));
        }
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        String ticketId = awaitTicket(conversation, agents.getFirst()).path("ticketId").asString();
        CyclicBarrier together = new CyclicBarrier(agents.size());
        List<Callable<Reply>> claims = new ArrayList<>();
        for (Staff agent : agents) {
            claims.add(() -> {
                together.await();
                return client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent.basic());
            });
        }

        List<Integer> statuses = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(agents.size())) {
            for (Future<Reply> claim : threads.invokeAll(claims)) {
                statuses.add(claim.get().status());
            }
        }

        assertThat(statuses).filteredOn(status -> status == 200).hasSize(1);
        assertThat(statuses).as("every claim's status").filteredOn(status -> status == 409).hasSize(19);
        assertThat(client.messages(conversation, 0).json().path("messages"))
                .filteredOn(message -> message.path("text").asString().contains("se ha unido")).hasSize(1);
        Staff admin = new Staff("admin@soportemax.test", "Admin", WidgetClient.TEST_ADMIN);
        assertThat(transcript(conversation, admin)).filteredOn(line -> line.path("kind").asString()
                .equals("CLAIMED")).hasSize(1);
    }

    @Test
    void theConversationsOfAnAgentWhoseAccountIsDisabledGoBackToTheQueueForSomeoneElse() {
        Staff leaving = client.newStaff("Olga", "AGENT");
        Staff colleague = client.newStaff("Hugo", "AGENT");
        Conversation conversation = claimed(leaving);
        String id = client.send("GET", "/api/admin/users", null, WidgetClient.TEST_ADMIN).json().valueStream()
                .filter(account -> account.path("email").asString().equals(leaving.email()))
                .findFirst().orElseThrow().path("id").asString();

        assertThat(client.send("PUT", "/api/admin/users/" + id + "/enabled", "{\"enabled\":false}",
                WidgetClient.TEST_ADMIN).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode ticket = awaitTicket(conversation, colleague);
            assertThat(ticket.path("status").asString()).isEqualTo("OPEN");
            assertThat(ticket.path("claimedBy").isNull()).isTrue();
        });
        String ticketId = awaitTicket(conversation, colleague).path("ticketId").asString();
        assertThat(client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, colleague.basic()).status())
                .isEqualTo(200);
        Staff admin = new Staff("admin@soportemax.test", "Admin", WidgetClient.TEST_ADMIN);
        assertThat(transcript(conversation, admin)).anySatisfy(line -> {
            assertThat(line.path("kind").asString()).isEqualTo("RELEASED");
            assertThat(line.path("text").asString()).contains(leaving.email(), "vuelve a la cola");
        });
    }

    @Test
    void anInternalNoteNeverReachesTheCustomersApiOrStream() throws Exception {
        Staff agent = client.newStaff("Lucía", "AGENT");
        Conversation conversation = claimed(agent);
        String note = "Nota interna: cliente con 3 devoluciones este mes " + UUID.randomUUID();

        try (EventStream customer = client.events(conversation, null)) {
            customer.awaitReplayed();
            Reply added = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/notes",
                    json(Map.of("text", note)), agent.basic());
            client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                    json(Map.of("text", "Ya lo estoy mirando.")), agent.basic());

            assertThat(added.status()).isEqualTo(201);
            // The reply sent after the note arrives; nothing before it carried the note.
            List<WidgetClient.Event> seen = new ArrayList<>();
            WidgetClient.Event event;
            do {
                event = customer.next();
                seen.add(event);
            } while (!event.data().contains("Ya lo estoy mirando."));
            assertThat(seen).noneMatch(e -> e.data().contains(note));
        }
        assertThat(client.messages(conversation, 0).raw().body()).doesNotContain(note);
        assertThat(transcript(conversation, agent)).anySatisfy(line -> {
            assertThat(line.path("kind").asString()).isEqualTo("NOTE");
            assertThat(line.path("text").asString()).isEqualTo(note);
            assertThat(line.path("authorName").asString()).isEqualTo("Lucía");
        });
    }

    @Test
    void handingBackLetsTheBotAnswerTheNextQuestionAndTellsTheCustomer() {
        Staff agent = client.newStaff("Lucía", "AGENT");
        Conversation conversation = claimed(agent);

        Reply handedBack = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/handback", null,
                agent.basic());

        assertThat(handedBack.status()).isEqualTo(204);
        Reply read = client.messages(conversation, 0);
        assertThat(read.text("state")).isEqualTo("BOT");
        assertThat(lastText(read)).contains("asistente virtual");
        assertThat(queueHas(conversation, agent)).isFalse();
        assertThat(transcript(conversation, agent)).anyMatch(line -> line.path("kind").asString().equals("HANDED_BACK"));

        client.post(conversation, UUID.randomUUID(), "mi pago con tarjeta da error");

        await().atMost(Duration.ofSeconds(30)).until(() -> botAnswered(conversation));
    }

    @Test
    void whileAnAgentHoldsTheConversationTheBotStaysSilent() {
        Staff agent = client.newStaff("Lucía", "AGENT");
        Conversation conversation = claimed(agent);

        client.post(conversation, UUID.randomUUID(), "mi pago con tarjeta da error");
        client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                json(Map.of("text", "Te ayudo yo con el pago.")), agent.basic());

        assertThat(client.messages(conversation, 0).json().path("messages"))
                .noneMatch(message -> message.path("role").asString().equals("BOT"));
        assertThat(lastText(client.messages(conversation, 0))).isEqualTo("Te ayudo yo con el pago.");
    }

    @Test
    void transferringHandsTheConversationToAnotherAgentAndTellsTheCustomerWho() {
        Staff lucia = client.newStaff("Lucía", "AGENT");
        Staff pablo = client.newStaff("Pablo", "AGENT");
        Conversation conversation = claimed(lucia);

        Reply transferred = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/transfer",
                json(Map.of("agentEmail", pablo.email())), lucia.basic());

        assertThat(transferred.status()).isEqualTo(204);
        assertThat(lastText(client.messages(conversation, 0))).isEqualTo("Pablo se ha unido a la conversación.");
        assertThat(client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                json(Map.of("text", "Hola")), lucia.basic()).status()).isEqualTo(409);
        assertThat(client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                json(Map.of("text", "Soy Pablo, sigo yo.")), pablo.basic()).status()).isEqualTo(202);
        assertThat(ticketOf(conversation, pablo).path("claimedBy").asString()).isEqualTo(pablo.email());
        assertThat(transcript(conversation, pablo)).anySatisfy(line -> {
            assertThat(line.path("kind").asString()).isEqualTo("TRANSFERRED");
            assertThat(line.path("text").asString()).contains("Lucía").contains("Pablo");
        });
        assertThat(client.send("POST", "/api/agent/conversations/" + conversation.id() + "/transfer",
                json(Map.of("agentEmail", "nadie@soportemax.test")), pablo.basic()).status()).isEqualTo(400);
    }

    @Test
    void releasingPutsTheConversationBackInTheQueueForAnotherAgent() {
        Staff lucia = client.newStaff("Lucía", "AGENT");
        Staff pablo = client.newStaff("Pablo", "AGENT");
        Conversation conversation = claimed(lucia);

        Reply released = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/release", null,
                lucia.basic());

        assertThat(released.status()).isEqualTo(204);
        Reply read = client.messages(conversation, 0);
        assertThat(read.text("state")).isEqualTo("ESCALATED");
        assertThat(lastText(read)).contains("continuará");
        JsonNode ticket = ticketOf(conversation, pablo);
        assertThat(ticket.path("status").asString()).isEqualTo("OPEN");
        assertThat(client.send("POST", "/api/agent/tickets/" + ticket.path("ticketId").asString() + "/claim", null,
                pablo.basic()).status()).isEqualTo(200);
        assertThat(transcript(conversation, pablo)).extracting(line -> line.path("kind").asString())
                .containsSubsequence("CLAIMED", "RELEASED", "CLAIMED");
    }

    @Test
    void resolvingAsksForARatingAndACustomerWhoWritesAgainGetsTheBotWithoutAnotherHandOver() {
        Staff agent = client.newStaff("Lucía", "AGENT");
        Conversation conversation = claimed(agent);

        Reply resolved = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/resolve", null,
                agent.basic());

        assertThat(resolved.status()).isEqualTo(204);
        Reply read = client.messages(conversation, 0);
        assertThat(read.text("state")).isEqualTo("CLOSED");
        assertThat(lastText(read)).contains("¿Nos cuentas qué tal te hemos atendido?");
        assertThat(transcript(conversation, agent)).anyMatch(line -> line.path("kind").asString().equals("RESOLVED"));

        Reply again = client.post(conversation, UUID.randomUUID(), "mi pago con tarjeta da error");

        assertThat(again.status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> botAnswered(conversation));
        assertThat(client.messages(conversation, 0).text("state")).isEqualTo("BOT");
        assertThat(queueHas(conversation, agent)).isFalse();
    }

    @Test
    void theBotsDraftAndTheReplyTheAgentSentInsteadAreStoredTogether() {
        Staff agent = client.newStaff("Lucía", "AGENT");
        Conversation conversation = client.start("es");
        ConversationId id = ConversationId.parse(conversation.id());
        // Escalated as the assistant does, without a customer question the bot might answer (or escalate) itself.
        botReplies.escalate(id, 0, EscalationReason.LOW_CONFIDENCE, "confidence 0.46 < 0.60",
                "Sí, puedes devolverlas en 30 días.");
        String ticketId = awaitTicket(conversation, agent).path("ticketId").asString();
        client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent.basic());

        Reply sent = client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                json(Map.of("text", "Solo si no se han usado: tienes 30 días desde la entrega.")), agent.basic());
        client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                json(Map.of("text", "¿Algo más?")), agent.basic());

        List<Map<String, Object>> pairs = jdbc.queryForList(
                "select * from agent_reply_drafts where conversation_id = ?", id.value());
        assertThat(pairs).singleElement().satisfies(pair -> {
            assertThat(pair.get("message_id")).hasToString(sent.text("messageId"));
            assertThat(pair.get("draft_text")).isEqualTo("Sí, puedes devolverlas en 30 días.");
            assertThat(pair.get("reply_text")).isEqualTo("Solo si no se han usado: tienes 30 días desde la entrega.");
            assertThat(pair.get("edited")).isEqualTo(true);
            assertThat(pair.get("agent_email")).isEqualTo(agent.email());
        });
    }

    private Conversation claimed(Staff agent) {
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        String ticketId = awaitTicket(conversation, agent).path("ticketId").asString();
        assertThat(client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent.basic()).status())
                .isEqualTo(200);
        return conversation;
    }

    private boolean botAnswered(Conversation conversation) {
        for (JsonNode message : client.messages(conversation, 0).json().path("messages")) {
            if (message.path("role").asString().equals("BOT") && message.path("complete").asBoolean()) {
                return true;
            }
        }
        return false;
    }

    private List<JsonNode> transcript(Conversation conversation, Staff agent) {
        List<JsonNode> lines = new ArrayList<>();
        client.send("GET", "/api/agent/conversations/" + conversation.id() + "/transcript", null, agent.basic()).json()
                .forEach(lines::add);
        return lines;
    }

    private static String lastText(Reply read) {
        JsonNode messages = read.json().path("messages");
        return messages.get(messages.size() - 1).path("text").asString();
    }

    private boolean queueHas(Conversation conversation, Staff agent) {
        for (JsonNode ticket : client.queue(agent.basic())) {
            if (ticket.path("conversationId").asString().equals(conversation.id())) {
                return true;
            }
        }
        return false;
    }

    private JsonNode ticketOf(Conversation conversation, Staff agent) {
        for (JsonNode ticket : client.queue(agent.basic())) {
            if (ticket.path("conversationId").asString().equals(conversation.id())) {
                return ticket;
            }
        }
        throw new AssertionError("No ticket of " + conversation.id() + " in the queue");
    }

    private JsonNode awaitTicket(Conversation conversation, Staff agent) {
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

    private static String json(Map<String, String> body) {
        return WidgetClient.JSON.writeValueAsString(body);
    }
}
