package com.soportemax.privacy;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
@ExtendWith(OutputCaptureExtension.class)
class CardMaskingAtIngestTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void storesAndShowsTheCustomersCardNumberMaskedAndNeverLogsTheMessage(CapturedOutput output) {
        WidgetClient widget = new WidgetClient(port);
        Conversation conversation = widget.start("es");

        assertThat(widget.post(conversation, UUID.randomUUID(),
                "Quiero pagar con la tarjeta 4539 1488 0343 6467 mi pedido de sombrillas").status()).isEqualTo(202);

        String stored = jdbc.queryForObject(
                "select text from messages where conversation_id = ?::uuid and author = 'CUSTOMER'", String.class,
                conversation.id());
        assertThat(stored).isEqualTo("Quiero pagar con la tarjeta •••• •••• •••• 6467 mi pedido de sombrillas");
        String seen = widget.messages(conversation, 0).json().path("messages").get(0).path("text").asString();
        assertThat(seen).isEqualTo(stored);
        assertThat(output.getAll()).doesNotContain("4539").doesNotContain("sombrillas");
    }

    @Test
    void masksCardNumbersInTheAgentsRepliesAndInternalNotesToo(CapturedOutput output) {
        WidgetClient widget = new WidgetClient(port);
        Conversation conversation = widget.start("es");
        assertThat(widget.escalate(conversation).status()).isLessThan(300);
        String admin = WidgetClient.basic("admin@soportemax.test", "test-admin-password");
        String ticket = null;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (ticket == null) {
            assertThat(System.nanoTime()).as("the hand-over reaches the queue within 30 s").isLessThan(deadline);
            for (var item : widget.send("GET", "/api/agent/queue", null, admin).json()) {
                if (item.path("conversationId").asString().equals(conversation.id())) ticket = item.path("ticketId").asString();
            }
            if (ticket == null) Thread.onSpinWait();
        }
        assertThat(widget.send("POST", "/api/agent/tickets/" + ticket + "/claim", null, admin).status()).isEqualTo(200);

        String path = "/api/agent/conversations/" + conversation.id();
        assertThat(widget.send("POST", path + "/notes",
                "{\"text\":\"Pagó con la 4539-1488-0343-6467, comprobar sombrillas\"}", admin).status()).isEqualTo(201);
        assertThat(widget.send("POST", path + "/messages",
                "{\"text\":\"Confirmo el cargo en la tarjeta 4539 1488 0343 6467 de tus sombrillas\"}", admin).status())
                .isEqualTo(202);

        assertThat(jdbc.queryForObject("select text from desk_entries where conversation_id = ?::uuid and kind = 'NOTE'",
                String.class, conversation.id())).isEqualTo("Pagó con la •••• •••• •••• 6467, comprobar sombrillas");
        assertThat(jdbc.queryForObject("select text from messages where conversation_id = ?::uuid and author = 'AGENT'",
                String.class, conversation.id())).isEqualTo("Confirmo el cargo en la tarjeta •••• •••• •••• 6467 de tus sombrillas");
        assertThat(output.getAll()).doesNotContain("4539").doesNotContain("sombrillas");
    }
}
