package com.soportemax.transcripts;

import com.soportemax.AdminTest;
import com.soportemax.ConversationFixture;
import com.soportemax.MutableClock;
import com.soportemax.WidgetClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

@AdminTest
class TranscriptReviewTests {

    // The first admin: a signed-in session of no staff account ends at once.
    private static final RequestPostProcessor ADMIN = user("admin@soportemax.test").roles("ADMIN");
    private static final Instant DAY = Instant.parse("2020-03-02T09:00:00Z");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    com.soportemax.accounts.internal.Accounts accounts;

    @Autowired
    MutableClock clock;

    @LocalServerPort
    int port;

    ConversationFixture.Builder resolved;
    ConversationFixture.Builder assisted;
    ConversationFixture.Builder unanswered;

    @BeforeEach
    void conversations() {
        clock.set(DAY.plus(Duration.ofDays(3)));
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?",
                java.sql.Timestamp.from(DAY.minus(Duration.ofHours(9))), java.sql.Timestamp.from(DAY.plus(Duration.ofHours(15))));
        ConversationFixture fixture = new ConversationFixture(jdbc);
        resolved = fixture.conversation(DAY, "es")
                .customer(Duration.ZERO, "¿Cuánto tarda la devolución de un paraguas?")
                .bot(Duration.ofSeconds(4), "La devolución se reembolsa en 5 días hábiles.", 0.82)
                .thumbs(2, true);
        assisted = fixture.conversation(DAY.plusSeconds(60), "es")
                .customer(Duration.ZERO, "Mi pedido de sombrillas no ha llegado")
                .escalate(Duration.ofSeconds(3), "LOW_CONFIDENCE", "Tu pedido llegará mañana.", 0.31)
                .agent(Duration.ofMinutes(2), "Lucía", "Lo he revisado: sale hoy con mensajería urgente.");
        unanswered = fixture.conversation(DAY.plusSeconds(120), "en")
                .customer(Duration.ZERO, "Do you sell garden gnomes?")
                .escalate(Duration.ofSeconds(2), "NO_KNOWLEDGE", "", 0.12);
    }

    @Test
    void findsConversationsBySpanishWordsWhateverTheirAccents() throws Exception {
        mvc.perform(get("/api/admin/conversations").param("q", "devolucion PARAGUAS").param("from", "2020-03-02")
                        .param("to", "2020-03-02").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].conversationId").value(resolved.id.toString()))
                .andExpect(jsonPath("$.items[0].outcome").value("RESOLVED_BY_BOT"));
    }

    @Test
    void filtersByOutcomeEscalationReasonConfidenceAndLanguageAndSortsAndPages() throws Exception {
        String day = "2020-03-02";
        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("outcome", "ASSISTED").with(ADMIN))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(assisted.id.toString())));
        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("escalated", "true")
                        .param("reason", "NO_KNOWLEDGE").with(ADMIN))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(unanswered.id.toString())))
                .andExpect(jsonPath("$.items[0].outcome").value("ESCALATED_UNANSWERED"));
        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("maxConfidence", "0.5")
                        .param("sort", "confidence").param("direction", "asc").with(ADMIN))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(unanswered.id.toString(), assisted.id.toString())));
        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("language", "en").with(ADMIN))
                .andExpect(jsonPath("$.total").value(1));
        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("agent", "lucía").with(ADMIN))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(assisted.id.toString())));
        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("sort", "createdAt")
                        .param("direction", "asc").param("size", "1").param("page", "1").with(ADMIN))
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(assisted.id.toString())));
    }

    @Test
    void filtersAndSortsByTheCalibratedConfidenceNotScoresSetByRule() throws Exception {
        Instant otherDay = DAY.plus(Duration.ofDays(1));
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?",
                java.sql.Timestamp.from(otherDay), java.sql.Timestamp.from(otherDay.plus(Duration.ofDays(1))));
        ConversationFixture fixture = new ConversationFixture(jdbc);
        // Small talk (1 by rule) then an answer the model is unsure of: the conversation's confidence is 0.40.
        ConversationFixture.Builder unsure = fixture.conversation(otherDay, "es")
                .customer(Duration.ZERO, "Hola")
                .smallTalk(Duration.ofSeconds(1), "¡Hola! ¿En qué te ayudo?")
                .customer(Duration.ofSeconds(10), "¿Puedo cambiar la talla de unas botas?")
                .bot(Duration.ofSeconds(14), "Sí, en 30 días desde la compra.", 0.40);
        // Asking for a person scores 0 by rule: no calibrated confidence at all.
        ConversationFixture.Builder askedForPerson = fixture.conversation(otherDay.plusSeconds(60), "es")
                .customer(Duration.ZERO, "Quiero hablar con una persona")
                .escalate(Duration.ofSeconds(1), "CUSTOMER_REQUEST", "", 0, "explicit-signal");
        // A heuristic score recorded before calibration (0.20) beside a calibrated answer (0.90): the 0.90 counts.
        ConversationFixture.Builder sure = fixture.conversation(otherDay.plusSeconds(120), "es")
                .customer(Duration.ZERO, "¿Cuánto cuesta el envío?")
                .uncalibratedBot(Duration.ofSeconds(3), "El envío cuesta 4,95 €.", 0.20)
                .customer(Duration.ofSeconds(20), "¿Y a Canarias?")
                .bot(Duration.ofSeconds(24), "A Canarias, 9,95 €.", 0.90);
        String day = "2020-03-03";

        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("maxConfidence", "0.5").with(ADMIN))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(unsure.id.toString())))
                .andExpect(jsonPath("$.items[0].minConfidence").value(0.40));
        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("minConfidence", "0.8").with(ADMIN))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(sure.id.toString())));
        mvc.perform(get("/api/admin/conversations").param("from", day).param("to", day).param("sort", "confidence")
                        .param("direction", "asc").with(ADMIN))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(unsure.id.toString(),
                        sure.id.toString(), askedForPerson.id.toString())))
                .andExpect(jsonPath("$.items[2].minConfidence").doesNotExist());
    }

    @Test
    void agentsReadTranscriptsWithPersonalDataReplacedAndOnlyAdminsReadTheClearText() throws Exception {
        RequestPostProcessor agent = user("lucia@soportemax.test").roles("AGENT");
        ConversationFixture.Builder personal = new ConversationFixture(jdbc).conversation(DAY.plusSeconds(300), "es")
                .customer(Duration.ZERO, "Me llamo Marta Ruiz, mi móvil es 612 34 56 78 y mi DNI 12345678Z")
                .escalate(Duration.ofSeconds(2), "ACCOUNT_ACTION", "Te llamamos al 612 34 56 78.", 0.4)
                .agent(Duration.ofMinutes(1), "Lucía", "Hola Marta Ruiz, te escribo a marta.ruiz@example.com.");
        // Agents read only conversations in the queue or theirs (issue 10): this one is Lucía's.
        if (accounts.all().stream().noneMatch(account -> account.email().equals("lucia@soportemax.test"))) {
            accounts.create("lucia@soportemax.test", "Lucía", com.soportemax.accounts.StaffRole.AGENT,
                    "lucia-password-long");
        }
        jdbc.update("update escalation_tickets set claimed_by = 'lucia@soportemax.test' where conversation_id = ?",
                personal.id);
        mvc.perform(get("/api/agent/transcripts/{id}", personal.id).with(user("pablo@soportemax.test").roles("AGENT")))
                .andExpect(status().isNotFound());

        mvc.perform(get("/api/agent/transcripts/{id}", personal.id).with(agent))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.entries[0].text").value("Me llamo <NAME_1>, mi móvil es <PHONE_1> y mi DNI <DNI_1>"))
                .andExpect(jsonPath("$.entries[1].author").value("DRAFT"))
                .andExpect(jsonPath("$.entries[1].text").value("Te llamamos al <PHONE_1>."))
                .andExpect(jsonPath("$.entries[1].answer.answer_text").value("Te llamamos al <PHONE_1>."))
                .andExpect(jsonPath("$.entries[3].text").value("Hola <NAME_1>, te escribo a <EMAIL_1>."))
                .andExpect(jsonPath("$.entries[3].replacedDraft").value("Te llamamos al <PHONE_1>."))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("612"))))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("Ruiz"))));
        mvc.perform(get("/api/admin/conversations/{id}", personal.id).with(agent)).andExpect(status().isForbidden());
        mvc.perform(get("/api/admin/conversations/{id}", personal.id).with(ADMIN))
                .andExpect(jsonPath("$.entries[0].text").value("Me llamo Marta Ruiz, mi móvil es 612 34 56 78 y mi DNI 12345678Z"));
    }

    @Test
    void agentsReadNamesTheAgentOrAReviewerAddressedAsPlaceholdersToo() throws Exception {
        RequestPostProcessor agent = user("lucia@soportemax.test").roles("AGENT");
        ConversationFixture.Builder named = new ConversationFixture(jdbc).conversation(DAY.plusSeconds(400), "es")
                .customer(Duration.ZERO, "Hola, buenos días, el paquete no llega.\nSaludos, Íñigo")
                .bot(Duration.ofSeconds(2), "Hola, buenos días. Llega mañana.", 0.6)
                .label(2, "bad", "Hola Íñigo, llega hoy por la tarde.")
                .customer(Duration.ofSeconds(20), "Prefiero hablar con alguien")
                .escalate(Duration.ofSeconds(22), "CUSTOMER_REQUEST", "", 0, "explicit-signal")
                .agent(Duration.ofMinutes(1), "Lucía", "Gracias, Sr. Arrieta, inigo, ya lo tienes en reparto.");
        if (accounts.all().stream().noneMatch(account -> account.email().equals("lucia@soportemax.test"))) {
            accounts.create("lucia@soportemax.test", "Lucía", com.soportemax.accounts.StaffRole.AGENT,
                    "lucia-password-long");
        }
        jdbc.update("update escalation_tickets set claimed_by = 'lucia@soportemax.test' where conversation_id = ?",
                named.id);

        mvc.perform(get("/api/agent/transcripts/{id}", named.id).with(agent))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.entries[0].text").value("Hola, buenos días, el paquete no llega.\nSaludos, <NAME_1>"))
                .andExpect(jsonPath("$.entries[1].text").value("Hola, buenos días. Llega mañana."))
                .andExpect(jsonPath("$.entries[1].label.correctedText").value("Hola <NAME_1>, llega hoy por la tarde."))
                .andExpect(jsonPath("$.entries[?(@.author == 'AGENT')].text")
                        .value(contains("Gracias, Sr. <NAME_2>, <NAME_1>, ya lo tienes en reparto.")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("Arrieta"))))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("ñigo"))));
    }

    @Test
    void agentsReadNamesWrittenWithoutACueAsPlaceholdersAndTheAgentsOwnNameAsAStaffPlaceholderInTheText() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                java.nio.file.Files.isReadable(java.nio.file.Path.of("/usr/share/apertium/apertium-eng-spa/spa-eng.automorf.bin"))
                        && java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/lt-proc")),
                "Apertium's lt-proc and the apertium-eng-spa lexicons are not installed (apt-get install "
                        + "apertium-eng-spa): names without a cue are not recognised here");
        RequestPostProcessor agent = user("lucia@soportemax.test").roles("AGENT");
        ConversationFixture.Builder uncued = new ConversationFixture(jdbc).conversation(DAY.plusSeconds(500), "es")
                .customer(Duration.ZERO, "mi marido Pedro García no puede entrar en la cuenta")
                .escalate(Duration.ofSeconds(2), "ACCOUNT_ACTION", "Lo revisa un agente.", 0.4)
                .agent(Duration.ofMinutes(1), "Lucía", "Soy Lucía, del equipo de soporte. Ya puede entrar: Pedro tiene una contraseña nueva.");
        if (accounts.all().stream().noneMatch(account -> account.email().equals("lucia@soportemax.test"))) {
            accounts.create("lucia@soportemax.test", "Lucía", com.soportemax.accounts.StaffRole.AGENT,
                    "lucia-password-long");
        }
        jdbc.update("update escalation_tickets set claimed_by = 'lucia@soportemax.test' where conversation_id = ?",
                uncued.id);

        mvc.perform(get("/api/agent/transcripts/{id}", uncued.id).with(agent))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.entries[0].text").value("mi marido <NAME_1> no puede entrar en la cuenta"))
                .andExpect(jsonPath("$.entries[?(@.author == 'AGENT')].text")
                        .value(contains("Soy <AGENT_1>, del equipo de soporte. Ya puede entrar: <NAME_1> tiene una contraseña nueva.")))
                .andExpect(jsonPath("$.entries[?(@.author == 'AGENT')].authorName").value(contains("Lucía")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("Pedro"))))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("García"))));
    }

    @Test
    void nextGoesToTheFollowingConversationStillAwaitingReviewSkippingDecidedAndUnansweredOnes() throws Exception {
        ConversationFixture.Builder later = new ConversationFixture(jdbc).conversation(DAY.plusSeconds(200), "es")
                .customer(Duration.ZERO, "¿Hacéis envíos a Andorra?")
                .bot(Duration.ofSeconds(2), "Sí, en 5 días laborables.", 0.7);
        mvc.perform(get("/admin/transcripts/next").param("after", resolved.id.toString()).with(ADMIN))
                .andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/admin/transcripts/" + assisted.id));

        mvc.perform(post("/api/admin/conversations/{id}/approve", assisted.id).with(ADMIN))
                .andExpect(status().isOk());
        // The assisted conversation is decided now; the unanswered one has no answer to review.
        mvc.perform(get("/admin/transcripts/next").param("after", resolved.id.toString()).with(ADMIN))
                .andExpect(redirectedUrl("/admin/transcripts/" + later.id));
        String page = mvc.perform(get("/admin/transcripts/{id}", later.id).with(ADMIN))
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"next-pending\"").contains("/admin/transcripts/next?after=" + later.id);
    }

    @Test
    void rejectsAnUnknownFilterValueNamingTheField() throws Exception {
        mvc.perform(get("/api/admin/conversations").param("outcome", "HAPPY").with(ADMIN))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("outcome")));
    }

    @Test
    void recordsLabelsCorrectionsAndApprovalWithWhoAndWhen() throws Exception {
        String botMessage = resolved.messages.get(2L).toString();
        mvc.perform(post("/api/admin/messages/{id}/label", botMessage).with(ADMIN).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"bad\",\"correctedText\":\"El reembolso llega en 3 a 5 días hábiles.\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.by").value("admin@soportemax.test"));
        mvc.perform(post("/api/admin/conversations/{id}/approve", resolved.id).with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.decision").value("APPROVED"));

        mvc.perform(get("/api/admin/conversations/{id}", resolved.id).with(ADMIN))
                .andExpect(jsonPath("$.review.decision").value("APPROVED"))
                .andExpect(jsonPath("$.review.by").value("admin@soportemax.test"))
                .andExpect(jsonPath("$.entries[1].label.label").value("bad"))
                .andExpect(jsonPath("$.entries[1].label.correctedText").value("El reembolso llega en 3 a 5 días hábiles."))
                .andExpect(jsonPath("$.entries[1].feedback.helpful").value(true))
                .andExpect(jsonPath("$.history[*].action").value(contains("LABEL", "APPROVE")));
        mvc.perform(get("/api/admin/conversations").param("from", "2020-03-02").param("to", "2020-03-02")
                        .param("label", "bad").param("review", "APPROVED").with(ADMIN))
                .andExpect(jsonPath("$.items[*].conversationId").value(contains(resolved.id.toString())));
        mvc.perform(post("/api/admin/messages/{id}/label", botMessage).with(ADMIN).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"label\":\"meh\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(containsString("label")));
    }

    @Test
    void showsTheDraftBesideTheAgentsReplyWithTheConfidenceComponents() throws Exception {
        jdbc.update("""
                insert into desk_entries (id, conversation_id, kind, author_email, author_name, text, created_at)
                values (?, ?, 'NOTE', 'lucia@soportemax.test', 'Lucía', 'Cliente habitual, compensar con envío gratis', now())""",
                java.util.UUID.randomUUID(), assisted.id);
        mvc.perform(get("/api/admin/conversations/{id}", assisted.id).with(ADMIN))
                .andExpect(jsonPath("$.escalation.reason").value("LOW_CONFIDENCE"))
                .andExpect(jsonPath("$.entries[1].author").value("DRAFT"))
                .andExpect(jsonPath("$.entries[1].answer.retrieval_score").value(0.6))
                .andExpect(jsonPath("$.entries[1].passages[0].title").value("Plazos de envío"))
                .andExpect(jsonPath("$.entries[3].author").value("AGENT"))
                .andExpect(jsonPath("$.entries[3].replacedDraft").value("Tu pedido llegará mañana."))
                .andExpect(jsonPath("$.notes[0].text").value("Cliente habitual, compensar con envío gratis"));
        mvc.perform(get("/admin/transcripts/{id}", assisted.id).with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("Tu pedido llegará mañana.")))
                .andExpect(content().string(containsString("Baja confianza")));
    }

    @Test
    void listPageShowsTheFilteredConversations() throws Exception {
        // As the page's form sends it: every field, the empty ones as "".
        mvc.perform(get("/admin/transcripts").param("from", "2020-03-02").param("to", "2020-03-02")
                        .param("outcome", "RESOLVED_BY_BOT").param("q", "").param("reason", "").param("label", "")
                        .param("language", "").param("review", "").param("escalated", "").param("rating", "")
                        .param("minConfidence", "").param("agent", "").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("¿Cuánto tarda la devolución de un paraguas?")))
                .andExpect(content().string(org.hamcrest.Matchers.not(containsString("sombrillas"))));
        mvc.perform(get("/admin/transcripts").param("from", "2020-03-02").param("to", "2020-03-02").param("size", "1")
                        .param("sort", "createdAt").param("direction", "asc").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("page=1")))
                .andExpect(content().string(containsString("Página 1 de 3")));
        mvc.perform(get("/admin/transcripts").param("from", "not-a-date").with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("from")));
    }

    @Test
    void customersRateEachBotAnswerFromTheWidget() {
        WidgetClient widget = new WidgetClient(port);
        WidgetClient.Conversation conversation = new WidgetClient.Conversation(resolved.id.toString(), resolved.token);
        String path = "/api/widget/conversations/" + resolved.id + "/messages/2/feedback";
        // The fixture's conversations are dated 2020; the customer rates while the conversation is still active
        // (widget tokens stop working after a day of inactivity).
        jdbc.update("update conversations set updated_at = now() where id = ?", resolved.id);

        WidgetClient.Reply first = widget.send("POST", path, "{\"helpful\":false,\"reason\":\"No dice cuándo\"}", conversation.bearer());
        assertThat(first.status()).isEqualTo(200); // the fixture's thumbs up is replaced
        assertThat(jdbc.queryForObject("select helpful from answer_feedback where conversation_id = ? and seq = 2",
                Boolean.class, resolved.id)).isFalse();
        assertThat(widget.send("POST", "/api/widget/conversations/" + resolved.id + "/messages/1/feedback",
                "{\"helpful\":true}", conversation.bearer()).status()).isEqualTo(404);
        assertThat(widget.send("POST", path, "{}", conversation.bearer()).status()).isEqualTo(400);
        assertThat(widget.send("POST", path, "{\"helpful\":true}", null).status()).isEqualTo(401);
    }
}
