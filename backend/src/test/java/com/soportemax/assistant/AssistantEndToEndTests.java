package com.soportemax.assistant;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The whole platform (widget API, seeded knowledge base, assistant) with the scripted engine. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestDatabase.class, AssistantTestBeans.WithScriptedModel.class})
class AssistantEndToEndTests {

    static final String SHIPPING_QUESTION = "¿Cuánto tarda en llegar mi pedido?";

    @LocalServerPort int port;
    @Autowired ScriptedLanguageModel model;
    @Autowired @org.springframework.beans.factory.annotation.Qualifier("assistantHealth") org.springframework.boot.health.contributor.HealthIndicator assistantHealth;
    WidgetClient widget;

    @BeforeEach
    void connect() {
        model.reset();
        widget = new WidgetClient(port);
    }

    @Test
    void theCustomerGetsAConfidentAnswerWithItsSourceFromTheSeededKnowledgeBase() {
        model.answer("Los pedidos peninsulares llegan en 24-48 horas laborables.", -0.05);
        var conversation = widget.start("es");

        widget.post(conversation, UUID.randomUUID(), SHIPPING_QUESTION);

        JsonNode bot = await().atMost(Duration.ofSeconds(30)).until(() -> botMessage(conversation), m -> m != null
                && m.path("complete").asBoolean());
        assertThat(bot.path("text").asString()).isEqualTo("Los pedidos peninsulares llegan en 24-48 horas laborables.");
        assertThat(bot.path("confidence").asDouble()).isGreaterThan(0.55);
        assertThat(bot.path("sources").findValuesAsString("title"))
                .contains("Plazos de entrega: cuánto tarda en llegar mi pedido");
        assertThat(widget.messages(conversation, 0).text("state")).isEqualTo("BOT");
    }

    @Test
    void anUnsureAnswerHandsTheConversationToAnAgentAndWithdrawsTheDraft() {
        model.answer("Quizá tarde unos días o unas semanas, no estoy seguro.", -3.0);
        var conversation = widget.start("es");

        widget.post(conversation, UUID.randomUUID(), SHIPPING_QUESTION);

        await().atMost(Duration.ofSeconds(30))
                .until(() -> widget.messages(conversation, 0).text("state"), "ESCALATED"::equals);
        JsonNode messages = widget.messages(conversation, 0).json().path("messages");
        assertThat(messages.findValuesAsString("role")).doesNotContain("BOT").contains("SYSTEM");
    }

    @Test
    void aQuestionTheKnowledgeBaseDoesNotCoverGoesToAnAgentAndTheUngroundedDraftIsNeverDelivered() {
        model.answer("Claro, salimos cada martes desde Madrid con destino a Marte.", -0.05);
        var conversation = widget.start("es");

        widget.post(conversation, UUID.randomUUID(), "¿Vendéis billetes de avión para viajar a Marte?");

        await().atMost(Duration.ofSeconds(30))
                .until(() -> widget.messages(conversation, 0).text("state"), "ESCALATED"::equals);
        assertThat(widget.messages(conversation, 0).json().path("messages").findValuesAsString("role"))
                .doesNotContain("BOT");
    }

    @Test
    void theSettingsApiIsForAdminsWithHttpBasic() {
        assertThat(widget.send("GET", "/api/admin/assistant/settings", null, null).status()).isEqualTo(401);

        var settings = widget.send("GET", "/api/admin/assistant/settings", null,
                WidgetClient.basic("admin@soportemax.test", "test-admin-password"));

        assertThat(settings.status()).isEqualTo(200);
        assertThat(settings.json().path("version").asInt()).isPositive();
        assertThat(settings.json().path("systemPrompt").asString()).isNotBlank();
        var status = widget.send("GET", "/api/admin/assistant/status", null,
                WidgetClient.basic("admin@soportemax.test", "test-admin-password"));
        assertThat(status.json().path("mode").asString()).isEqualTo("LLM");
        assertThat(status.json().path("model").path("name").asString()).isEqualTo("scripted");
    }

    @Test
    void thePreviewApiNamesTheFieldOfABadRequest() {
        var bad = widget.send("POST", "/api/admin/assistant/preview", "{\"text\":\"\",\"locale\":\"fr\"}",
                WidgetClient.basic("admin@soportemax.test", "test-admin-password"));

        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw().body()).contains("text").contains("locale");
        var agent = widget.newStaff("Agente Preview", "AGENT");
        assertThat(widget.send("POST", "/api/admin/assistant/preview", "{\"text\":\"hola\"}", agent.basic()).status())
                .as("admins only").isEqualTo(403);
    }

    @Test
    void healthReportsTheAssistantUpWithItsMode() {
        var health = assistantHealth.health();

        assertThat(health.getStatus().getCode()).isEqualTo("UP");
        assertThat(health.getDetails()).containsEntry("mode", "LLM").containsEntry("architecture", "scripted");
    }

    JsonNode botMessage(WidgetClient.Conversation conversation) {
        for (JsonNode m : widget.messages(conversation, 0).json().path("messages")) {
            if ("BOT".equals(m.path("role").asString())) return m;
        }
        return null;
    }
}
