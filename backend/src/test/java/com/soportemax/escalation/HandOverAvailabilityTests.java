package com.soportemax.escalation;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.Reply;
import com.soportemax.WidgetClient.Staff;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the customer is told at hand-over, from business hours (Monday to Friday 9:00–18:00, Madrid) and agents'
 * presence; and the e-mail path when nobody can answer live, with a local SMTP server receiving the agent's answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestDatabase.class, HandOverAvailabilityTests.SetClock.class})
class HandOverAvailabilityTests {

    @RegisterExtension
    static final GreenMailExtension smtp = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            // Started before the application, which reads its port.
            .withPerMethodLifecycle(false);

    private static final ZoneId MADRID = ZoneId.of("Europe/Madrid");
    /** A Tuesday at 10:00 in Madrid: within business hours. */
    private static final Instant TUESDAY_MORNING = ZonedDateTime.of(2026, 12, 1, 10, 0, 0, 0, MADRID).toInstant();
    /** A Sunday at 11:00 in Madrid. */
    private static final Instant SUNDAY = ZonedDateTime.of(2026, 12, 6, 11, 0, 0, 0, MADRID).toInstant();

    @DynamicPropertySource
    static void smtpServer(DynamicPropertyRegistry registry) {
        registry.add("spring.mail.host", () -> "localhost");
        registry.add("spring.mail.port", () -> smtp.getSmtp().getPort());
        registry.add("soportemax.escalation.mail-from", () -> "soporte@tienda.test");
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    SettableClock clock;

    WidgetClient client;

    @BeforeEach
    void nobodyIsOnline() {
        client = new WidgetClient(port);
        clock.set(TUESDAY_MORNING);
        jdbc.update("delete from agent_presence");
        jdbc.update("update escalation_tickets set status = 'RESOLVED' where status <> 'RESOLVED'");
    }

    @Test
    void withAnAgentOnlineInBusinessHoursTheCustomerIsToldAnAgentIsComingAndRoughlyWhen() {
        Staff agent = client.newStaff("Lucía", "AGENT");
        online(agent);
        Conversation conversation = client.start("es");

        client.escalate(conversation);

        Reply read = client.messages(conversation, 0);
        // About one SLA (2 min) per conversation waiting, this one included, for the one agent online.
        assertThat(lastText(read)).contains("Te pasamos con una persona")
                .containsPattern("Tiempo de espera estimado: unos ([2468]|\\d{2}) min\\.");
        assertThat(read.json().path("emailOffered").asBoolean()).isFalse();
    }

    @Test
    void outsideBusinessHoursNobodyIsComingEvenWithAnAgentSignedIn() {
        Staff agent = client.newStaff("Lucía", "AGENT");
        online(agent);
        clock.set(SUNDAY);
        Conversation conversation = client.start("en");

        client.escalate(conversation);

        Reply read = client.messages(conversation, 0);
        assertThat(lastText(read)).contains("nobody from the team is available right now")
                .contains("Monday to Friday from 09:00 to 18:00").contains("e-mail");
        assertThat(read.json().path("emailOffered").asBoolean()).isTrue();
    }

    @Test
    void withNobodyOnlineTheCustomerLeavesAnAddressAndTheAgentsAnswerArrivesByEmail() throws Exception {
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        Reply read = client.messages(conversation, 0);
        assertThat(lastText(read)).contains("no hay nadie del equipo disponible").contains("correo electrónico");
        assertThat(read.json().path("emailOffered").asBoolean()).isTrue();

        Reply badAddress = client.send("POST", "/api/widget/conversations/" + conversation.id() + "/contact",
                "{\"email\":\"no-es-un-correo\"}", conversation.bearer());
        Reply left = client.send("POST", "/api/widget/conversations/" + conversation.id() + "/contact",
                "{\"email\":\"ana@cliente.test\"}", conversation.bearer());

        assertThat(badAddress.status()).isEqualTo(400);
        assertThat(badAddress.raw().body()).contains("email");
        assertThat(left.status()).isEqualTo(200);
        assertThat(client.messages(conversation, 0).text("contactEmail")).isEqualTo("ana@cliente.test");
        assertThat(lastText(client.messages(conversation, 0))).contains("ana@cliente.test");

        Staff agent = client.newStaff("Lucía", "AGENT");
        String ticketId = awaitTicket(conversation, agent).path("ticketId").asString();
        client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, agent.basic());
        client.send("POST", "/api/agent/conversations/" + conversation.id() + "/messages",
                WidgetClient.JSON.writeValueAsString(Map.of("text", "Tu pedido sale mañana por la mañana.")),
                agent.basic());

        await().atMost(Duration.ofSeconds(30)).until(() -> smtp.getReceivedMessagesForDomain("cliente.test").length > 0);
        MimeMessage email = smtp.getReceivedMessagesForDomain("cliente.test")[0];
        assertThat(email.getAllRecipients()[0].toString()).isEqualTo("ana@cliente.test");
        assertThat(email.getFrom()[0].toString()).isEqualTo("soporte@tienda.test");
        assertThat(GreenMailUtil.getBody(email)).contains("Tu pedido sale ma").contains("Luc");
        JsonNode transcript = client.send("GET", "/api/agent/conversations/" + conversation.id() + "/transcript",
                null, agent.basic()).json();
        assertThat(transcript).anyMatch(line -> line.path("kind").asString().equals("EMAILED")
                && line.path("text").asString().contains("ana@cliente.test"));
    }

    private void online(Staff agent) {
        assertThat(client.send("PUT", "/api/agent/presence", "{\"status\":\"ONLINE\"}", agent.basic()).status())
                .isEqualTo(200);
    }

    private static String lastText(Reply read) {
        JsonNode messages = read.json().path("messages");
        return messages.get(messages.size() - 1).path("text").asString();
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
            assertThat(found[0]).isNotNull();
        });
        return found[0];
    }

    /** A clock the test sets; time stands still between settings. */
    static final class SettableClock extends Clock {
        private volatile Instant now = Instant.now();

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return Clock.fixed(now, zone);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class SetClock {
        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock();
        }
    }
}
