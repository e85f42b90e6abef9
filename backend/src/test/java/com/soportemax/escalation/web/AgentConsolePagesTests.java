package com.soportemax.escalation.web;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.chat.ConversationEscalated;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import com.soportemax.escalation.internal.EscalationQueue;
import com.soportemax.escalation.internal.EscalationTicket;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
@Import(TestDatabase.class)
class AgentConsolePagesTests {

    private static final String PASSWORD = "agent-password-1";

    @Autowired
    MockMvc mvc;

    @Autowired
    EscalationQueue queue;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void theQueueListsAnEscalatedConversationWithTheCustomersLastMessage() throws Exception {
        RequestPostProcessor agent = newAgent("Lucía");
        Customer customer = escalatedConversation();
        customer.say("Mi pedido 4711 no ha llegado todavía");

        String page = page(get("/agent"), agent);
        String fragment = page(get("/agent/queue").header("HX-Request", "true"), agent);

        assertThat(page).contains("Cola de conversaciones", "data-fragment=\"/agent/queue?filter=all\"", "Pide hablar con una persona",
                "Mi pedido 4711 no ha llegado todavía", "/agent/tickets/" + customer.ticket().id() + "/claim");
        assertThat(fragment).doesNotContain("<html").contains("Mi pedido 4711 no ha llegado todavía", "Tomar");
        assertThat(page).as("the claim form carries the CSRF token").containsPattern("name=\"_csrf\"");
    }

    @Test
    void anAgentWhoClaimsSecondIsToldAnotherAgentWasFirst() throws Exception {
        RequestPostProcessor marta = newAgent("Marta");
        RequestPostProcessor jorge = newAgent("Jorge");
        Customer customer = escalatedConversation();
        String claim = "/agent/tickets/" + customer.ticket().id() + "/claim";

        mvc.perform(post(claim).with(marta).with(csrf()))
                .andExpect(redirectedUrl("/agent/conversations/" + customer.id()));
        MvcResult lost = mvc.perform(post(claim).with(jorge).with(csrf()))
                .andExpect(redirectedUrl("/agent"))
                .andReturn();
        String queuePage = mvc.perform(get("/agent").with(jorge).flashAttrs(lost.getFlashMap()))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        assertThat(queuePage).contains("Otro agente (Marta)").contains("ya ha tomado esta conversación");
        assertThat(customer.messages().path("messages")).filteredOn(m -> m.path("text").asString().contains("se ha unido"))
                .extracting(m -> m.path("text").asString()).containsExactly("Marta se ha unido a la conversación.");
    }

    @Test
    void aReplyFromTheConversationPageReachesTheCustomersWidget() throws Exception {
        RequestPostProcessor agent = newAgent("Lucía");
        Customer customer = escalatedConversation();
        mvc.perform(post("/agent/tickets/" + customer.ticket().id() + "/claim").with(agent).with(csrf()));

        mvc.perform(post("/agent/conversations/" + customer.id() + "/messages").with(agent).with(csrf())
                        .param("text", "Hola, soy Lucía. Miro tu pedido ahora mismo."))
                .andExpect(redirectedUrl("/agent/conversations/" + customer.id()));

        JsonNode read = customer.messages();
        assertThat(read.path("state").asString()).isEqualTo("AGENT");
        JsonNode last = read.path("messages").get(read.path("messages").size() - 1);
        assertThat(last.path("role").asString()).isEqualTo("AGENT");
        assertThat(last.path("authorName").asString()).isEqualTo("Lucía");
        assertThat(last.path("text").asString()).isEqualTo("Hola, soy Lucía. Miro tu pedido ahora mismo.");
        assertThat(page(get("/agent/conversations/" + customer.id()), agent))
                .contains("Hola, soy Lucía. Miro tu pedido ahora mismo.");
    }

    @Test
    void theTranscriptFragmentTheConsoleFetchesShowsNewMessagesAndNotes() throws Exception {
        RequestPostProcessor agent = newAgent("Lucía");
        Customer customer = escalatedConversation();
        mvc.perform(post("/agent/tickets/" + customer.ticket().id() + "/claim").with(agent).with(csrf()));
        customer.say("¿Sigues ahí?");
        mvc.perform(post("/agent/conversations/" + customer.id() + "/notes").with(agent).with(csrf())
                .param("text", "Revisar el pedido antes de contestar"));

        String fragment = page(get("/agent/conversations/" + customer.id() + "/transcript"), agent);

        assertThat(fragment).doesNotContain("<html").contains("¿Sigues ahí?", "Nota interna · Lucía",
                "Revisar el pedido antes de contestar", "Lucía ha tomado la conversación.");
    }

    @Test
    void theReplyBoxStartsWithTheBotsDraft() throws Exception {
        RequestPostProcessor agent = newAgent("Lucía");
        Customer customer = startConversation();
        transactions.executeWithoutResult(tx -> events.publishEvent(new ConversationEscalated(
                new ConversationId(UUID.fromString(customer.id())), EscalationReason.LOW_CONFIDENCE,
                "confidence 0.31 < 0.55", "Los reembolsos tardan de 5 a 7 días hábiles.",
                Instant.now().truncatedTo(ChronoUnit.MICROS))));
        EscalationTicket ticket = awaitTicket(customer.id());
        mvc.perform(post("/agent/tickets/" + ticket.id() + "/claim").with(agent).with(csrf()));

        String page = page(get("/agent/conversations/" + customer.id()), agent);

        assertThat(page).containsPattern("<textarea[^>]*name=\"text\"[^>]*>Los reembolsos tardan de 5 a 7 días hábiles.</textarea>")
                .contains("Respuesta poco segura", "la respuesta no era segura (0,31 de 0,55)",
                        "Borrador del asistente (confianza 0,31)");
    }

    @Test
    void closingFromThePageEndsTheConversationForTheCustomer() throws Exception {
        RequestPostProcessor agent = newAgent("Lucía");
        Customer customer = escalatedConversation();
        mvc.perform(post("/agent/tickets/" + customer.ticket().id() + "/claim").with(agent).with(csrf()));

        mvc.perform(post("/agent/conversations/" + customer.id() + "/close").with(agent).with(csrf()))
                .andExpect(redirectedUrl("/agent"));

        assertThat(customer.messages().path("state").asString()).isEqualTo("CLOSED");
        assertThat(page(get("/agent"), agent)).doesNotContain(customer.ticket().id().toString());
    }

    @Test
    void customerTextIsShownAsTextNotAsHtml() throws Exception {
        RequestPostProcessor agent = newAgent("Lucía");
        Customer customer = escalatedConversation();
        customer.say("<script>alert('hola')</script><b>urgente</b>");

        String transcript = page(get("/agent/conversations/" + customer.id()), agent);
        String queuePage = page(get("/agent"), agent);

        for (String html : new String[] {transcript, queuePage}) {
            assertThat(html).contains("&lt;script&gt;alert(&#39;hola&#39;)&lt;/script&gt;&lt;b&gt;urgente&lt;/b&gt;")
                    .doesNotContain("<script>alert").doesNotContain("<b>urgente");
        }
    }

    @Test
    void onlyTheAgentWhoClaimedMayAnswer() throws Exception {
        RequestPostProcessor lucia = newAgent("Lucía");
        RequestPostProcessor pablo = newAgent("Pablo");
        Customer customer = escalatedConversation();
        mvc.perform(post("/agent/tickets/" + customer.ticket().id() + "/claim").with(lucia).with(csrf()));

        // Another agent's conversation is not Pablo's to read (issue 10): the console answers as if it did not exist.
        assertThat(mvc.perform(get("/agent/conversations/" + customer.id()).with(pablo)).andExpect(status().isNotFound())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8))
                .contains("No existe esa conversación").doesNotContain("id=\"reply-text\"");
        mvc.perform(post("/agent/conversations/" + customer.id() + "/messages").with(pablo).with(csrf())
                .param("text", "Hola")).andExpect(status().isNotFound());
        // An admin may read it without being in charge, and is told only the agent in charge answers.
        assertThat(page(get("/agent/conversations/" + customer.id()), user("admin@soportemax.test").roles("ADMIN")))
                .doesNotContain("No existe");
        assertThat(customer.messages().path("messages")).noneMatch(m -> m.path("role").asString().equals("AGENT"));
    }

    @Test
    void anonymousVisitorsAreSentToTheLoginPageAndFormsNeedTheCsrfToken() throws Exception {
        mvc.perform(get("/agent").accept(MediaType.TEXT_HTML)).andExpect(status().is3xxRedirection())
                .andExpect(redirectedUrl("/login"));
        mvc.perform(get("/agent/conversations/" + UUID.randomUUID()).accept(MediaType.TEXT_HTML))
                .andExpect(redirectedUrl("/login"));
        mvc.perform(post("/agent/tickets/" + UUID.randomUUID() + "/claim").with(user("x@soportemax.test").roles("AGENT")))
                .andExpect(status().isForbidden());
    }

    @Test
    void anUnknownConversationIsANotFoundPageWithAWayBack() throws Exception {
        String page = mvc.perform(get("/agent/conversations/" + UUID.randomUUID()).with(newAgent("Lucía")))
                .andExpect(status().isNotFound())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        assertThat(page).contains("No existe esa conversación o ese ticket", "Cola de conversaciones");
    }

    @Test
    void claimingAClosedConversationSaysItHasEnded() throws Exception {
        RequestPostProcessor agent = newAgent("Lucía");
        Customer customer = escalatedConversation();
        UUID ticketId = customer.ticket().id();
        mvc.perform(post("/agent/tickets/" + ticketId + "/claim").with(agent).with(csrf()));
        mvc.perform(post("/agent/conversations/" + customer.id() + "/close").with(agent).with(csrf()));

        MvcResult late = mvc.perform(post("/agent/tickets/" + ticketId + "/claim").with(newAgent("Pablo")).with(csrf()))
                .andExpect(redirectedUrl("/agent"))
                .andReturn();

        assertThat(late.getFlashMap().get("problem").toString()).contains("ya ha terminado");
    }

    @Test
    void theSignInPageIsTheProductsOwnInSpanishOrEnglish() throws Exception {
        String spanish = mvc.perform(get("/login")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        String english = mvc.perform(get("/login").param("lang", "en")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        assertThat(spanish).contains("Iniciar sesión", "Correo electrónico", "Contraseña", "/css/admin.css");
        assertThat(english).contains("Sign in", "Password");
    }

    @Test
    void agentsSeeOnlyTheQueueInTheNavigationAdminsEverything() throws Exception {
        String queuePage = page(get("/agent"), newAgent("Lucía"));
        String adminQueuePage = page(get("/agent"), user("admin@soportemax.test").roles("ADMIN"));

        assertThat(queuePage).contains("href=\"/agent\"").doesNotContain("href=\"/admin/knowledge\"");
        assertThat(adminQueuePage).contains("href=\"/admin/knowledge\"", "href=\"/admin/staff\"", "href=\"/admin\"");
    }

    @Test
    void adminsHaveAHomePageAndManageStaffInTheBrowser() throws Exception {
        RequestPostProcessor admin = user("admin@soportemax.test").roles("ADMIN");
        String email = "nuevo-" + UUID.randomUUID() + "@soportemax.test";

        assertThat(page(get("/admin"), admin)).contains("Administración", "Cola de conversaciones");
        mvc.perform(post("/admin/staff").with(admin).with(csrf()).param("email", email).param("displayName", "Nuevo")
                .param("role", "AGENT").param("password", "corta")).andExpect(redirectedUrl("/admin/staff"));
        assertThat(page(get("/admin/staff"), admin)).doesNotContain(email);
        mvc.perform(post("/admin/staff").with(admin).with(csrf()).param("email", email).param("displayName", "Nuevo")
                .param("role", "AGENT").param("password", "una-clave-bien-larga")).andExpect(redirectedUrl("/admin/staff"));
        assertThat(page(get("/admin/staff"), admin)).contains(email, "Nuevo");
        mvc.perform(get("/agent").with(httpBasic(email, "una-clave-bien-larga"))).andExpect(status().isOk());
    }

    @Test
    void aRefusedCannedReplyIsExplainedInTheAdminsLanguageAndKeepsWhatWasTyped() throws Exception {
        RequestPostProcessor admin = httpBasic("admin@soportemax.test", "test-admin-password");

        String spanish = mvc.perform(post("/admin/canned-replies").with(admin).with(csrf())
                        .param("title", "Saludo").param("text", "Hola, soy del equipo").param("language", "es")
                        .param("shortcut", "Con Espacios"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        String english = mvc.perform(post("/admin/canned-replies").with(admin).with(csrf())
                        .header("Accept-Language", "en")
                        .param("title", "").param("text", "Hello").param("language", "en").param("shortcut", "hello"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        assertThat(spanish).contains("El atajo lleva minúsculas, cifras, - o _").contains("Hola, soy del equipo")
                .doesNotContain("shortcut:", "lowercase letters");
        assertThat(english).contains("Write a title of at most 200 characters.").doesNotContain("title:");
    }

    @Test
    void theTransferListSaysWhoIsOnlineAndNamesThemFirst() throws Exception {
        RequestPostProcessor lucia = newAgent("Lucía");
        RequestPostProcessor olga = newAgent("Olga");
        newAgent("Bruno");
        mvc.perform(post("/agent/presence").param("status", "ONLINE").with(olga).with(csrf()))
                .andExpect(status().isFound());
        Customer customer = escalatedConversation();
        mvc.perform(post("/agent/tickets/" + customer.ticket().id() + "/claim").with(lucia).with(csrf()));

        String page = page(get("/agent/conversations/" + customer.id()), lucia);

        assertThat(page).contains("Olga · En línea", "Bruno · Ausente");
        assertThat(page.indexOf("Olga · En línea")).isLessThan(page.indexOf("Bruno · Ausente"));
        mvc.perform(post("/agent/presence").param("status", "AWAY").with(olga).with(csrf()));
    }

    @Test
    void customersCannotOpenTheConsole() throws Exception {
        // A signed-in session of someone with no staff account (deleted, or never one) ends: sign in first.
        mvc.perform(get("/agent").with(user("someone@soportemax.test").roles("CUSTOMER")))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
    }

    private String page(org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder request,
                        RequestPostProcessor who) throws Exception {
        return mvc.perform(request.with(who))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    private RequestPostProcessor newAgent(String name) throws Exception {
        String email = name.toLowerCase().replace("í", "i") + "-" + UUID.randomUUID() + "@soportemax.test";
        mvc.perform(post("/api/admin/users").with(httpBasic("admin@soportemax.test", "test-admin-password"))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("""
                                {"email":"%s","displayName":"%s","role":"AGENT","password":"%s"}"""
                                .formatted(email, name, PASSWORD)))
                .andExpect(status().isCreated());
        return user(email).roles("AGENT");
    }

    private Customer startConversation() throws Exception {
        String body = mvc.perform(post("/api/widget/conversations").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"locale\":\"es\"}"))
                .andExpect(status().isCreated())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        JsonNode started = WidgetClient.JSON.readTree(body);
        return new Customer(started.path("conversationId").asString(), started.path("token").asString());
    }

    private Customer escalatedConversation() throws Exception {
        Customer customer = startConversation();
        mvc.perform(post("/api/widget/conversations/" + customer.id() + "/escalate").header("Authorization", customer.bearer()))
                .andExpect(status().is2xxSuccessful());
        awaitTicket(customer.id());
        return customer;
    }

    private EscalationTicket awaitTicket(String conversationId) {
        ConversationId id = new ConversationId(UUID.fromString(conversationId));
        return await().atMost(Duration.ofSeconds(20))
                .until(() -> queue.latestTicketOf(id).orElse(null), ticket -> ticket != null);
    }

    /** A customer talking through the widget API. */
    private final class Customer {
        private final String id;
        private final String token;

        Customer(String id, String token) {
            this.id = id;
            this.token = token;
        }

        String id() {
            return id;
        }

        String bearer() {
            return "Bearer " + token;
        }

        EscalationTicket ticket() {
            return queue.latestTicketOf(new ConversationId(UUID.fromString(id))).orElseThrow();
        }

        void say(String text) throws Exception {
            mvc.perform(post("/api/widget/conversations/" + id + "/messages").header("Authorization", bearer())
                            .contentType(MediaType.APPLICATION_JSON)
                            .content(WidgetClient.JSON.writeValueAsString(java.util.Map.of(
                                    "clientMessageId", UUID.randomUUID().toString(), "text", text))))
                    .andExpect(status().isAccepted());
        }

        long lastSeq() throws Exception {
            JsonNode messages = messages().path("messages");
            return messages.get(messages.size() - 1).path("seq").asLong();
        }

        JsonNode messages() throws Exception {
            String body = mvc.perform(get("/api/widget/conversations/" + id + "/messages?after=0")
                            .header("Authorization", bearer()))
                    .andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
            return WidgetClient.JSON.readTree(body);
        }
    }
}
