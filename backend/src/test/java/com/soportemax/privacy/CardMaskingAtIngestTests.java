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
}
