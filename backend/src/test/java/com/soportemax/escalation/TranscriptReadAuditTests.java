package com.soportemax.escalation;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.Reply;
import com.soportemax.WidgetClient.Staff;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admins audit the staff's reads of transcripts ({@code /admin/transcript-reads}, {@code GET
 * /api/admin/transcript-reads}): who, when, which conversation and the page or API that showed it, by staff member
 * and days, a page at a time; agents may not.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class TranscriptReadAuditTests {

    private static final Staff ADMIN = new Staff("admin@soportemax.test", "Admin", WidgetClient.TEST_ADMIN);

    @LocalServerPort
    int port;

    WidgetClient client;
    Staff pablo;
    Conversation conversation;

    @BeforeEach
    void aConversationReadByAnAgentAndAnAdminThroughEveryRoute() {
        client = new WidgetClient(port);
        pablo = client.newStaff("Pablo", "AGENT");
        conversation = client.start("es");
        client.escalate(conversation);
        await().atMost(Duration.ofSeconds(20)).until(() -> ticket() != null);
        assertThat(client.send("POST", "/api/agent/tickets/" + ticket().path("ticketId").asString() + "/claim", null,
                pablo.basic()).status()).isEqualTo(200);
        String id = conversation.id();
        for (String path : List.of("/api/agent/conversations/" + id + "/messages", "/agent/conversations/" + id,
                "/api/agent/transcripts/" + id)) {
            assertThat(client.send("GET", path, null, pablo.basic()).status()).as(path).isEqualTo(200);
        }
        for (String path : List.of("/admin/transcripts/" + id, "/api/admin/conversations/" + id)) {
            assertThat(client.send("GET", path, null, ADMIN.basic()).status()).as(path).isEqualTo(200);
        }
    }

    @Test
    void adminsSeeWhoReadWhichConversationWhenAndThroughWhichPageOrApi() {
        List<JsonNode> reads = reads("conversation=" + conversation.id());

        assertThat(reads).extracting(read -> read.path("staffEmail").asString() + " " + read.path("via").asString()
                + " " + read.path("source").asString()).as("newest first").containsExactly(
                "admin@soportemax.test API GET /api/admin/conversations/{id}",
                "admin@soportemax.test PAGE GET /admin/transcripts/{id}",
                pablo.email() + " API GET /api/agent/transcripts/{id}",
                pablo.email() + " PAGE GET /agent/conversations/{id}",
                pablo.email() + " API GET /api/agent/conversations/{id}/messages");
        assertThat(reads).allSatisfy(read -> {
            assertThat(read.path("conversationId").asString()).isEqualTo(conversation.id());
            assertThat(Instant.parse(read.path("at").asString())).isBefore(Instant.now().plusSeconds(1));
        });
        assertThat(reads.get(2).path("staffName").asString()).isEqualTo("Pablo");
    }

    @Test
    void theReadsAreFilteredByStaffMemberAndByDayAndComeAPageAtATime() {
        LocalDate day = Instant.parse(reads("conversation=" + conversation.id()).getFirst().path("at").asString())
                .atZone(ZoneOffset.UTC).toLocalDate();
        String mine = "conversation=" + conversation.id();

        assertThat(reads(mine + "&staff=" + pablo.email().toUpperCase())).hasSize(3)
                .allSatisfy(read -> assertThat(read.path("staffEmail").asString()).isEqualTo(pablo.email()));
        assertThat(reads(mine + "&from=" + day + "&to=" + day)).hasSize(5);
        assertThat(reads(mine + "&to=" + day.minusDays(1))).isEmpty();
        assertThat(reads(mine + "&from=" + day.plusDays(1))).isEmpty();

        List<String> paged = new ArrayList<>();
        List<JsonNode> page = reads(mine + "&limit=2");
        while (!page.isEmpty()) {
            assertThat(page.size()).isLessThanOrEqualTo(2);
            page.forEach(read -> paged.add(read.path("id").asString()));
            page = reads(mine + "&limit=2&before=" + page.getLast().path("id").asString());
        }
        assertThat(paged).containsExactlyElementsOf(reads(mine).stream().map(read -> read.path("id").asString()).toList());
    }

    @Test
    void aBadDayOrLimitIsAClearErrorNamingTheParameter() {
        Reply impossible = client.send("GET", "/api/admin/transcript-reads?from=2026-02-30", null, ADMIN.basic());
        assertThat(impossible.status()).isEqualTo(400);
        assertThat(impossible.text("detail")).contains("'from'", "yyyy-mm-dd");
        Reply reversed = client.send("GET", "/api/admin/transcript-reads?from=2026-03-02&to=2026-03-01", null, ADMIN.basic());
        assertThat(reversed.status()).isEqualTo(400);
        assertThat(reversed.text("detail")).contains("'from'", "'to'");
        Reply limit = client.send("GET", "/api/admin/transcript-reads?limit=0", null, ADMIN.basic());
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.text("detail")).contains("'limit'");
        Reply page = client.send("GET", "/admin/transcript-reads?from=2026-03-02&to=2026-03-01", null, ADMIN.basic());
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().body()).contains("El día «Desde» no puede ser posterior al día «Hasta».");
    }

    @Test
    void thePageListsTheReadsInSpanishOrEnglishAndIsLinkedFromTheAdminsNavigation() {
        String query = "?staff=" + pablo.email() + "&conversation=" + conversation.id();
        String spanish = client.send("GET", "/admin/transcript-reads" + query, null, ADMIN.basic()).raw().body();
        assertThat(spanish).contains("Lecturas de conversaciones", "Página o API", "Pablo", pablo.email(),
                "GET /api/agent/transcripts/{id}", "GET /agent/conversations/{id}", "/admin/transcripts/" + conversation.id())
                .doesNotContain("GET /admin/transcripts/{id}");
        String english = client.send("GET", "/admin/transcript-reads" + query + "&lang=en", null, ADMIN.basic()).raw().body();
        assertThat(english).contains("Conversation reads", "Page or API", "Through", "GET /api/agent/transcripts/{id}")
                .doesNotContain("Lecturas de conversaciones");
        String home = client.send("GET", "/admin", null, ADMIN.basic()).raw().body();
        assertThat(home).containsPattern("class=\"nav-links\"[\\s\\S]*href=\"/admin/transcript-reads\"");
    }

    @Test
    void agentsMayNotReadTheAudit() {
        assertThat(client.send("GET", "/api/admin/transcript-reads", null, pablo.basic()).status()).isEqualTo(403);
        assertThat(client.send("GET", "/admin/transcript-reads", null, pablo.basic()).status()).isEqualTo(403);
        assertThat(client.send("GET", "/agent", null, pablo.basic()).raw().body())
                .doesNotContain("href=\"/admin/transcript-reads\"");
    }

    private List<JsonNode> reads(String query) {
        Reply reply = client.send("GET", "/api/admin/transcript-reads?" + query, null, ADMIN.basic());
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(200);
        List<JsonNode> reads = new ArrayList<>();
        reply.json().forEach(reads::add);
        return reads;
    }

    private JsonNode ticket() {
        return client.queue(WidgetClient.TEST_ADMIN).stream()
                .filter(ticket -> ticket.path("conversationId").asString().equals(conversation.id()))
                .findFirst().orElse(null);
    }
}
