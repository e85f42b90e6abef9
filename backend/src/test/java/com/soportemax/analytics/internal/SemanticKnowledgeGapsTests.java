package com.soportemax.analytics.internal;

import com.soportemax.ConversationFixture;
import com.soportemax.MutableClock;
import com.soportemax.TestDatabase;
import com.soportemax.knowledge.KnowledgeBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Knowledge gaps grouped by meaning with a real trained sentence encoder (all-MiniLM-L6-v2, English) loaded as the
 * knowledge base's embedding model: paraphrases that share no word meet, unrelated questions stay apart. The
 * context is closed afterwards, so its model does not go on embedding articles later test classes write.
 */
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@Import({TestDatabase.class, MutableClock.Config.class})
class SemanticKnowledgeGapsTests {

    static final Path MODEL = Path.of(System.getProperty("soportemax.shared", "../shared"), "models",
            "all-minilm-l6-v2-f16.gguf");
    static final String CANARIES = "How much will I pay for delivery to the Canary Islands?";
    static final String TENERIFE = "What is the shipping fee to Tenerife?";
    static final String FORGOT = "I forgot my password and cannot sign in";
    static final String RESET = "How do I reset the password of my account?";
    static final String BITCOIN = "Can I pay with bitcoin?";

    @BeforeAll
    static void needsTheTrainedEncoder() {
        assumeTrue(Files.isRegularFile(MODEL), "Skipped: the trained encoder " + MODEL.toAbsolutePath()
                + " is absent (set -Dsoportemax.shared to the folder that holds models/all-minilm-l6-v2-f16.gguf)");
    }

    @DynamicPropertySource
    static void embeddingModel(DynamicPropertyRegistry registry) {
        registry.add("soportemax.knowledge.embedding-model", MODEL::toString);
        registry.add("soportemax.knowledge.embedding-threads", () -> "2");
    }

    @Autowired MockMvc mvc;
    @Autowired JdbcTemplate jdbc;
    @Autowired MutableClock clock;
    @Autowired KnowledgeBase knowledge;

    @Test
    void groupsParaphrasesThatShareNoWordAndKeepsUnrelatedQuestionsApart() throws Exception {
        Instant day = Instant.parse("2020-06-15T00:00:00Z");
        clock.set(day.plus(Duration.ofDays(5)));
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?", Timestamp.from(day),
                Timestamp.from(day.plus(Duration.ofDays(1))));
        ConversationFixture fixture = new ConversationFixture(jdbc);
        Instant t = day.plus(Duration.ofHours(9));
        List<String> asked = List.of(CANARIES, FORGOT, BITCOIN, TENERIFE, RESET);
        for (int i = 0; i < asked.size(); i++) {
            fixture.conversation(t.plusSeconds(60L * i), "en").customer(Duration.ZERO, asked.get(i))
                    .escalate(Duration.ofSeconds(2), "NO_KNOWLEDGE", "", 0.05 + i * 0.01);
        }
        // By their words alone the two shipping questions never meet: they share no term.
        List<KnowledgeGaps.Question> questions = asked.stream()
                .map(q -> new KnowledgeGaps.Question(q, 0.1, null, "en", KnowledgeGaps.terms(q))).toList();
        assertThat(texts(KnowledgeGaps.byTerms(questions, 0.34), asked)).doesNotContain(List.of(CANARIES, TENERIFE));
        await().atMost(Duration.ofMinutes(3)).until(() -> !knowledge.embedQuestions(List.of("ready?")).isEmpty());

        String body = mvc.perform(get("/api/admin/stats").param("from", "2020-06-15").param("to", "2020-06-15")
                        .with(user("jefa@soportemax.test").roles("ADMIN")))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();

        List<List<String>> groups = new ArrayList<>();
        for (JsonNode gap : JsonMapper.builder().build().readTree(body).path("gaps")) {
            List<String> group = new ArrayList<>();
            gap.path("questions").forEach(q -> group.add(q.asString()));
            groups.add(group);
        }
        assertThat(groups).containsExactlyInAnyOrder(List.of(CANARIES, TENERIFE), List.of(FORGOT, RESET),
                List.of(BITCOIN));
    }

    private static List<List<String>> texts(List<List<Integer>> groups, List<String> asked) {
        return groups.stream().map(g -> g.stream().map(asked::get).toList()).toList();
    }
}
