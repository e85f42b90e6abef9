package com.soportemax.assistant.internal;

import com.soportemax.TestDatabase;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.chat.SourceRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.web.servlet.MockMvc;

import java.time.Instant;
import java.util.List;

import static com.soportemax.assistant.internal.FixedKnowledgeBase.passage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The admins' tools: test the assistant (page and API), curated answers, the what-if table (retrieval-only mode). */
@ApplicationModuleTest
@AutoConfigureMockMvc
@Import({TestDatabase.class, com.soportemax.assistant.AssistantTestBeans.class})
class AdminToolsTests {

    static final String ADMIN = "admin@soportemax.test";

    @Autowired MockMvc mvc;
    @Autowired FixedKnowledgeBase knowledge;
    @Autowired CuratedAnswers curated;
    @Autowired AnswerPipeline pipeline;
    @Autowired RecordingBotReplies replies;
    @Autowired BotAnswerLog answers;
    @Autowired JdbcClient jdbc;

    @BeforeEach
    void knowledge() {
        knowledge.returns(
                passage("envios", "Plazos de envío", "Los pedidos llegan en 24-48 horas laborables.", 0.92),
                passage("devoluciones", "Devoluciones", "Tienes 30 días para devolver un pedido.", 0.31));
    }

    @AfterEach
    void unpin() {
        curated.all().forEach(a -> curated.delete(a.id()));
    }

    @Test
    void thePreviewShowsThePassagesTheDecisionTheCalibratedConfidenceAndWhyWithoutStoringAnything() throws Exception {
        long before = jdbc.sql("select count(*) from bot_answers").query(Long.class).single();

        mvc.perform(post("/api/admin/assistant/preview").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"cuanto tarda en llegar mi pedido?\",\"locale\":\"es\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.decision").value("DELIVER"))
                .andExpect(jsonPath("$.mode").value("RETRIEVAL_ONLY"))
                .andExpect(jsonPath("$.passages", hasSize(2)))
                .andExpect(jsonPath("$.passages[0].externalId").value("envios"))
                .andExpect(jsonPath("$.passages[0].fused").value(0.92))
                .andExpect(jsonPath("$.confidence.retrieval").value(0.92))
                .andExpect(jsonPath("$.confidence.calibration", containsString("/retrieval-only")))
                .andExpect(jsonPath("$.why", containsString("confidence")))
                .andExpect(jsonPath("$.reply", containsString("24-48 horas")));

        mvc.perform(post("/api/admin/assistant/preview").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"text\":\"quiero hablar con una persona ya\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.decision").value("ESCALATE"))
                .andExpect(jsonPath("$.reason").value("CUSTOMER_REQUEST"))
                .andExpect(jsonPath("$.confidence.value").value(0.0))
                .andExpect(jsonPath("$.confidence.signal").value("ASKS_FOR_PERSON"));

        assertThat(jdbc.sql("select count(*) from bot_answers").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void thePreviewRefusesAnEmptyMessage() throws Exception {
        mvc.perform(post("/api/admin/assistant/preview").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON).content("{\"text\":\"  \"}"))
                .andExpect(status().isBadRequest());
    }

    @Test
    void theTestPageShowsTheDecisionAndTheSettingsPageTheWhatIfTable() throws Exception {
        mvc.perform(post("/admin/assistant/test").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .header("HX-Request", "true").param("text", "gracias!").param("locale", "es"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("SMALL_TALK")))
                .andExpect(content().string(containsString("¡De nada!")));

        mvc.perform(get("/admin/assistant").with(user(ADMIN).roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("id=\"what-if\"")))
                .andExpect(content().string(containsString("0,3")))
                .andExpect(content().string(containsString("0,9")));
    }

    @Test
    void aCuratedAnswerIsGivenAsIsWithItsSourceWhenAMessageMatchesItsQuestionOrAnExample() throws Exception {
        mvc.perform(post("/api/admin/assistant/curated-answers").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"question":"¿Tenéis tienda física en Madrid?",
                                 "examples":["donde esta vuestra tienda de madrid", "puedo ir a la tienda en Madrid?"],
                                 "answer":"Sí: calle Mayor 1, Madrid, de lunes a sábado de 10 a 20 h.",
                                 "sourceTitle":"Tiendas"}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.createdBy").value(ADMIN));

        var message = new CustomerMessagePosted(ConversationId.random(), 1, "Teneis tienda fisica en madrid??", "es",
                Instant.now());
        pipeline.answer(message);

        var delivered = replies.delivered(message.conversationId()).orElseThrow();
        assertThat(delivered.answer().text()).isEqualTo("Sí: calle Mayor 1, Madrid, de lunes a sábado de 10 a 20 h.");
        assertThat(delivered.answer().sources()).containsExactly(new SourceRef(null, "Tiendas"));
        assertThat(answers.find(message.conversationId(), 1).orElseThrow().mode()).isEqualTo(BotAnswerRecord.Mode.CURATED);

        var other = new CustomerMessagePosted(ConversationId.random(), 1, "cuanto tarda en llegar mi pedido?", "es",
                Instant.now());
        pipeline.answer(other);
        assertThat(replies.delivered(other.conversationId()).orElseThrow().answer().sources())
                .extracting(SourceRef::externalId).isEqualTo(List.of("envios"));
    }

    @Test
    void theCuratedAnswersPageListsPinsAndRemovesThem() throws Exception {
        mvc.perform(post("/admin/assistant/curated").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .param("question", "¿Hacéis envíos a Andorra?").param("examples", "enviais a andorra?\nenvio andorra")
                        .param("answer", "No, de momento solo a España.").param("sourceTitle", "Envíos"))
                .andExpect(status().is3xxRedirection());
        assertThat(curated.all()).singleElement().satisfies(a -> assertThat(a.examples())
                .containsExactly("enviais a andorra?", "envio andorra"));

        mvc.perform(get("/admin/assistant/curated").with(user(ADMIN).roles("ADMIN")))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("¿Hacéis envíos a Andorra?")));
        mvc.perform(post("/admin/assistant/curated").with(user(ADMIN).roles("ADMIN")).with(csrf())
                        .param("question", "").param("answer", ""))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("question")));

        mvc.perform(post("/admin/assistant/curated/" + curated.all().getFirst().id() + "/delete")
                        .with(user(ADMIN).roles("ADMIN")).with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertThat(curated.all()).isEmpty();
    }
}
