package com.soportemax.assistant;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole platform as the tests configure it (soportemax.model=none): answers come from the knowledge base. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class RetrievalOnlyEndToEndTests {

    @LocalServerPort int port;

    @Test
    void withoutAModelTheCustomerGetsTheBestArticlePassageWithItsSource() {
        var widget = new WidgetClient(port);
        var conversation = widget.start("es");

        widget.post(conversation, UUID.randomUUID(), "mi pago con tarjeta da error");

        JsonNode bot = botReply(widget, conversation);
        assertThat(bot.path("text").asString())
                .startsWith("Esto es lo que dice nuestro artículo «Mi pago con tarjeta ha sido rechazado o da error»:");
        assertThat(bot.path("sources").findValuesAsString("title"))
                .containsExactly("Mi pago con tarjeta ha sido rechazado o da error");
        assertThat(bot.path("confidence").asDouble()).isGreaterThanOrEqualTo(0.6);
    }

    @Test
    void withoutAModelAQuestionNoArticleAnswersGoesToAnAgent() {
        var widget = new WidgetClient(port);
        var conversation = widget.start("es");

        widget.post(conversation, UUID.randomUUID(), "¿Tenéis tienda física en Lugo?");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> widget.messages(conversation, 0).text("state"), "ESCALATED"::equals);
    }

    @Test
    void adviceAboutTheCompanysOwnOptionsIsAnsweredFromTheArticleThatHasThem() {
        var widget = new WidgetClient(port);
        var conversation = widget.start("es");

        widget.post(conversation, UUID.randomUUID(), "¿Qué método de pago me recomendáis, tarjeta o PayPal?");

        JsonNode bot = botReply(widget, conversation);
        assertThat(bot.path("sources").findValuesAsString("title")).containsExactly("Métodos de pago aceptados");
    }

    /** The bot's finished reply, once it has one. */
    private static JsonNode botReply(WidgetClient widget, WidgetClient.Conversation conversation) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode m : widget.messages(conversation, 0).json().path("messages")) {
                if ("BOT".equals(m.path("role").asString()) && m.path("complete").asBoolean()) return m;
            }
            return null;
        }, m -> m != null);
    }
}
