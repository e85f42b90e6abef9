package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantEngine;

import com.soportemax.TestDatabase;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.SourceRef;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static com.soportemax.assistant.internal.FixedKnowledgeBase.passage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** No usable model (a corrupt GGUF file): the application starts and answers from the knowledge base alone. */
@ApplicationModuleTest
@AutoConfigureMockMvc
@Import({TestDatabase.class, com.soportemax.assistant.AssistantTestBeans.class})
class RetrievalOnlyModeTests {

    // Written before the context starts (the context may start before any @BeforeAll method runs).
    static final Path corruptModel = writeCorruptModel();

    static Path writeCorruptModel() {
        try {
            Path file = Files.createTempFile("corrupt-", ".gguf");
            Files.writeString(file, "this is not a GGUF model, just text", StandardCharsets.UTF_8);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void model(DynamicPropertyRegistry registry) {
        registry.add("soportemax.model", () -> corruptModel.toString());
    }

    @Autowired AssistantEngine engine;
    @Autowired AnswerPipeline pipeline;
    @Autowired RecordingBotReplies replies;
    @Autowired FixedKnowledgeBase knowledge;
    @Autowired BotAnswerLog answers;
    @Autowired MockMvc mvc;

    @Test
    void aCorruptModelFileLeavesTheAssistantInRetrievalOnlyModeWithAClearNotice() throws Exception {
        assertThat(engine.awaitSettled(Duration.ofSeconds(20))).isTrue();

        assertThat(engine.status().mode()).isEqualTo(AssistantEngine.Mode.RETRIEVAL_ONLY);
        assertThat(engine.model()).isEmpty();
        assertThat(engine.status().notice())
                .contains("retrieval-only mode")
                .contains(corruptModel.toString())
                .contains("soportemax.model");
    }

    @Test
    void answersWithTheBestPassageCitingItsArticleWhenRetrievalIsConfident() throws Exception {
        engine.awaitSettled(Duration.ofSeconds(20));
        knowledge.returns(
                passage("devoluciones-plazo", "Plazo para devolver un pedido",
                        "Tienes 30 días naturales desde la entrega para devolver un pedido.", 0.8),
                passage("envio-plazos", "Plazos de envío", "Los pedidos llegan en 24-48 horas.", 0.5));
        var message = new CustomerMessagePosted(ConversationId.random(), 1, "¿Cuánto tiempo tengo para devolverlo?",
                "es", Instant.now());

        pipeline.answer(message);

        var delivered = replies.delivered(message.conversationId()).orElseThrow();
        assertThat(delivered.answer().text())
                .startsWith("Esto es lo que dice nuestro artículo «Plazo para devolver un pedido»:")
                .contains("Tienes 30 días naturales desde la entrega");
        assertThat(delivered.answer().sources())
                .containsExactly(new SourceRef("devoluciones-plazo", "Plazo para devolver un pedido"));
        BotAnswerRecord stored = answers.find(message.conversationId(), message.seq()).orElseThrow();
        assertThat(stored.mode()).isEqualTo(BotAnswerRecord.Mode.RETRIEVAL_ONLY);
        assertThat(delivered.answer().confidence()).as("the calibrated probability, stored with its parts")
                .isEqualTo(stored.confidence().value()).isGreaterThanOrEqualTo(0.5);
        assertThat(stored.confidence().retrieval()).isEqualTo(0.8);
        assertThat(stored.confidence().calibration()).endsWith("/retrieval-only");
    }

    @Test
    void escalatesWithThePassageAsDraftWhenRetrievalIsNotConfidentEnough() throws Exception {
        engine.awaitSettled(Duration.ofSeconds(20));
        knowledge.returns(passage("garantia", "Garantía de dos años", "Todos los productos tienen dos años.", 0.12),
                passage("envios", "Envíos", "Los pedidos llegan en 24-48 horas.", 0.1));
        var message = new CustomerMessagePosted(ConversationId.random(), 1, "Is my blender still covered?",
                "en", Instant.now());

        pipeline.answer(message);

        var escalated = replies.escalated(message.conversationId()).orElseThrow();
        assertThat(escalated.reason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
        assertThat(escalated.detail()).contains("retrieval-only");
        assertThat(escalated.draft()).startsWith("This is what our article “Garantía de dos años” says:");
        assertThat(replies.delivered(message.conversationId())).isEmpty();
    }

    @Test
    void theAdminPageShowsTheRetrievalOnlyNoticeAndHowToEnableTheModel() throws Exception {
        engine.awaitSettled(Duration.ofSeconds(20));

        mvc.perform(get("/admin/assistant").with(user("admin@soportemax.test").roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Modo solo recuperación")))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("soportemax.model")));
    }
}
