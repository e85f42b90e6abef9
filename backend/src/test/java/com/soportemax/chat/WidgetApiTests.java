package com.soportemax.chat;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.Reply;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class WidgetApiTests {

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BotReplies botReplies;

    WidgetClient widget;

    @BeforeEach
    void connect() {
        widget = new WidgetClient(port);
    }

    @Test
    void startsASpanishConversationAnsweredByTheBot() {
        Reply created = widget.send("POST", "/api/widget/conversations", null, null);

        assertThat(created.status()).isEqualTo(201);
        assertThat(UUID.fromString(created.text("conversationId"))).isNotNull();
        assertThat(created.text("token")).hasSizeGreaterThanOrEqualTo(40);
        Conversation conversation = new Conversation(created.text("conversationId"), created.text("token"));
        Reply read = widget.messages(conversation, 0);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.text("state")).isEqualTo("BOT");
        assertThat(read.text("locale")).isEqualTo("es");
        assertThat(read.json().path("messages").isArray()).isTrue();
    }

    @Test
    void neverStoresTheRawToken() {
        Conversation conversation = widget.start("en");

        String stored = jdbc.queryForObject("select token_hash from conversations where id = ?::uuid", String.class,
                conversation.id());
        assertThat(stored).isNotEqualTo(conversation.token()).doesNotContain(conversation.token()).hasSize(64);
    }

    @Test
    void storesTheCustomersMessageAndListsItInTheContractsShape() {
        Conversation conversation = widget.start("es");

        Reply posted = widget.post(conversation, UUID.randomUUID(), "¿Cuánto tarda un envío a Canarias?");

        assertThat(posted.status()).isEqualTo(202);
        assertThat(UUID.fromString(posted.text("messageId"))).isNotNull();
        assertThat(posted.json().path("seq").asLong()).isEqualTo(1);
        JsonNode first = widget.messages(conversation, 0).json().path("messages").get(0);
        assertThat(first.path("seq").asLong()).isEqualTo(1);
        assertThat(first.path("role").asString()).isEqualTo("CUSTOMER");
        assertThat(first.path("text").asString()).isEqualTo("¿Cuánto tarda un envío a Canarias?");
        assertThat(first.path("complete").asBoolean()).isTrue();
        assertThat(first.has("confidence")).isTrue();
        assertThat(first.path("confidence").isNull()).isTrue();
        assertThat(first.path("sources").isArray()).isTrue();
        assertThat(Instant.parse(first.path("createdAt").asString())).isBefore(Instant.now().plusSeconds(1));
        assertThat(widget.messages(conversation, 1).json().path("messages"))
                .allSatisfy(message -> assertThat(message.path("seq").asLong()).isGreaterThan(1));
    }

    @Test
    void listsABotAnswerWithItsConfidenceAndSources() {
        Conversation conversation = widget.start("es");
        ConversationId id = ConversationId.parse(conversation.id());

        long seq = botReplies.begin(id);
        botReplies.stream(id, seq, "Tarda ");
        JsonNode writing = message(widget.messages(conversation, 0), seq);
        assertThat(writing.path("complete").asBoolean()).isFalse();
        assertThat(writing.path("text").asString()).isEqualTo("Tarda ");

        botReplies.deliver(id, seq, new BotAnswer("Tarda de 3 a 5 días laborables.", 0.82,
                List.of(new SourceRef("envios-canarias", "Envíos a Canarias, Ceuta y Melilla"))));

        JsonNode delivered = message(widget.messages(conversation, 0), seq);
        assertThat(delivered.path("role").asString()).isEqualTo("BOT");
        assertThat(delivered.path("complete").asBoolean()).isTrue();
        assertThat(delivered.path("text").asString()).isEqualTo("Tarda de 3 a 5 días laborables.");
        assertThat(delivered.path("confidence").asDouble()).isEqualTo(0.82);
        assertThat(delivered.path("sources").get(0).path("externalId").asString()).isEqualTo("envios-canarias");
        assertThat(delivered.path("sources").get(0).path("title").asString()).isEqualTo("Envíos a Canarias, Ceuta y Melilla");
    }

    @Test
    void postingTheSameClientMessageIdAgainReturnsTheSameAnswerAndStoresNothingNew() {
        Conversation conversation = widget.start("es");
        UUID clientMessageId = UUID.randomUUID();

        Reply first = widget.post(conversation, clientMessageId, "Hola, no me llega el pedido");
        Reply again = widget.post(conversation, clientMessageId, "Hola, no me llega el pedido");

        assertThat(again.status()).isEqualTo(202);
        assertThat(again.text("messageId")).isEqualTo(first.text("messageId"));
        assertThat(again.json().path("seq").asLong()).isEqualTo(first.json().path("seq").asLong());
        assertThat(storedWith(clientMessageId)).isEqualTo(1);
    }

    @Test
    void concurrentRetriesOfOneMessageStoreItOnce() throws Exception {
        Conversation conversation = widget.start("es");
        UUID clientMessageId = UUID.randomUUID();
        int retries = 6;
        CyclicBarrier together = new CyclicBarrier(retries);
        List<Callable<Reply>> posts = new ArrayList<>();
        for (int i = 0; i < retries; i++) {
            posts.add(() -> {
                together.await();
                return widget.post(conversation, clientMessageId, "Quiero devolver unas zapatillas");
            });
        }

        List<Reply> replies = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(retries)) {
            for (Future<Reply> reply : threads.invokeAll(posts)) {
                replies.add(reply.get());
            }
        }

        assertThat(replies).allSatisfy(reply -> assertThat(reply.status()).isEqualTo(202));
        assertThat(replies).extracting(reply -> reply.text("messageId")).containsOnly(replies.getFirst().text("messageId"));
        assertThat(replies).extracting(reply -> reply.json().path("seq").asLong()).containsOnly(1L);
        assertThat(storedWith(clientMessageId)).isEqualTo(1);
    }

    @Test
    void anotherConversationsIdWithYourTokenIsNotFound() {
        Conversation mine = widget.start("es");
        Conversation theirs = widget.start("es");
        Conversation wrongPair = new Conversation(theirs.id(), mine.token());

        assertThat(widget.messages(wrongPair, 0).status()).isEqualTo(404);
        assertThat(widget.post(wrongPair, UUID.randomUUID(), "hola").status()).isEqualTo(404);
        assertThat(widget.escalate(wrongPair).status()).isEqualTo(404);
        assertThat(widget.events(wrongPair, null).status).isEqualTo(404);
        assertThat(widget.messages(theirs, 0).json().path("messages")).isEmpty();
    }

    @Test
    void withoutAValidTokenIsUnauthorized() {
        Conversation conversation = widget.start("es");
        String path = "/api/widget/conversations/" + conversation.id() + "/messages";

        Reply missing = widget.send("GET", path, null, null);
        Reply unknown = widget.send("GET", path, null, "Bearer not-a-token-of-anyone");
        Reply notBearer = widget.send("GET", path, null, WidgetClient.basic("a", "b"));

        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.raw().headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(notBearer.status()).isEqualTo(401);
        assertThat(widget.post(new Conversation(conversation.id(), "forged"), UUID.randomUUID(), "hola").status())
                .isEqualTo(401);
    }

    @Test
    void malformedInputIsABadRequestThatNamesTheField() {
        Conversation conversation = widget.start("es");
        String messages = "/api/widget/conversations/" + conversation.id() + "/messages";

        Reply noText = widget.send("POST", messages, "{\"clientMessageId\":\"" + UUID.randomUUID() + "\"}",
                conversation.bearer());
        Reply tooLong = widget.post(conversation, UUID.randomUUID(), "a".repeat(4001));
        Reply notAUuid = widget.send("POST", messages, "{\"clientMessageId\":\"12\",\"text\":\"hola\"}",
                conversation.bearer());
        Reply notJson = widget.send("POST", messages, "{\"text\":", conversation.bearer());
        Reply badLocale = widget.send("POST", "/api/widget/conversations", "{\"locale\":\"fr\"}", null);
        Reply badScore = widget.send("POST", "/api/widget/conversations/" + conversation.id() + "/rating",
                "{\"score\":6}", conversation.bearer());

        assertBadRequestNaming(noText, "text");
        assertBadRequestNaming(tooLong, "text");
        assertBadRequestNaming(notAUuid, "clientMessageId");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.raw().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).contains("application/problem+json"));
        assertBadRequestNaming(badLocale, "locale");
        assertBadRequestNaming(badScore, "score");
        assertThat(widget.messages(conversation, 0).json().path("messages")).isEmpty();
    }

    @Test
    void customerAskingForAPersonIsToldInTheirLanguage() {
        Conversation english = widget.start("en");
        Conversation spanish = widget.start("es");

        Reply escalated = widget.escalate(english);
        widget.escalate(spanish);
        Reply again = widget.escalate(english);

        assertThat(escalated.status()).isEqualTo(200);
        assertThat(escalated.text("state")).isEqualTo("ESCALATED");
        assertThat(again.text("state")).isEqualTo("ESCALATED");
        Reply read = widget.messages(english, 0);
        assertThat(read.text("state")).isEqualTo("ESCALATED");
        assertThat(read.json().path("messages")).singleElement().satisfies(notice -> {
            assertThat(notice.path("role").asString()).isEqualTo("SYSTEM");
            // Whether an agent is coming or nobody is online (the desk's tests cover which), it speaks of the team.
            assertThat(notice.path("text").asString()).contains("team");
        });
        assertThat(widget.messages(spanish, 0).json().path("messages").get(0).path("text").asString())
                .contains("equipo");
    }

    @Test
    void messagesWaitForTheAgentOnceEscalated() {
        Conversation conversation = widget.start("es");
        widget.escalate(conversation);

        Reply posted = widget.post(conversation, UUID.randomUUID(), "¿Sigue ahí alguien?");

        assertThat(posted.status()).isEqualTo(202);
        assertThat(posted.json().path("seq").asLong()).isEqualTo(2);
        Integer announced = jdbc.queryForObject("""
                select count(*) from event_publication
                where event_type like '%CustomerMessagePosted' and serialized_event like ?""", Integer.class,
                "%" + conversation.id() + "%");
        assertThat(announced).isZero();
    }

    @Test
    void customerRatesTheConversationAndMayChangeTheRating() {
        Conversation conversation = widget.start("es");
        String rating = "/api/widget/conversations/" + conversation.id() + "/rating";

        Reply rated = widget.send("POST", rating, "{\"score\":4,\"comment\":\"Rápido y claro\"}", conversation.bearer());
        Reply changed = widget.send("POST", rating, "{\"score\":5}", conversation.bearer());

        assertThat(rated.status()).isEqualTo(201);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("select score from conversation_ratings where conversation_id = ?::uuid",
                Integer.class, conversation.id())).isEqualTo(5);
    }

    @Test
    void aClosedConversationTakesNoMoreMessages() {
        Conversation conversation = widget.start("en");

        Reply closed = widget.send("POST", "/api/widget/conversations/" + conversation.id() + "/close", null,
                conversation.bearer());
        Reply posted = widget.post(conversation, UUID.randomUUID(), "hello?");

        assertThat(closed.text("state")).isEqualTo("CLOSED");
        assertThat(posted.status()).isEqualTo(409);
        assertThat(posted.text("detail")).contains("closed");
    }

    @Test
    void tooManyMessagesInAConversationAreRefusedWithRetryAfter() {
        Conversation conversation = widget.start("es");
        widget.escalate(conversation); // no bot involved: the messages wait for an agent

        List<Integer> statuses = new ArrayList<>();
        Reply last = null;
        for (int i = 0; i < 11; i++) {
            last = widget.post(conversation, UUID.randomUUID(), "mensaje " + i);
            statuses.add(last.status());
        }

        assertThat(statuses.subList(0, 10)).containsOnly(202);
        assertThat(last.status()).isEqualTo(429);
        assertThat(last.raw().headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void otherSitesMayEmbedTheWidget() {
        HttpResponse<String> preflight = raw(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/widget/conversations/x/messages"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://tienda.example")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type"));

        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).contains("https://tienda.example");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").toLowerCase())
                .contains("authorization");
    }

    @Test
    void documentsTheWidgetApiAsOpenApi() {
        Reply anonymous = widget.send("GET", "/v3/api-docs", null, null);
        Reply docs = widget.send("GET", "/v3/api-docs", null, WidgetClient.basic("admin@soportemax.test", "test-admin-password"));

        assertThat(anonymous.status()).as("the API description is for admins").isIn(401, 302);

        assertThat(docs.status()).isEqualTo(200);
        JsonNode paths = docs.json().path("paths");
        assertThat(paths.has("/api/widget/conversations")).isTrue();
        assertThat(paths.has("/api/widget/conversations/{id}/messages")).isTrue();
        assertThat(paths.has("/api/widget/conversations/{id}/events")).isTrue();
        assertThat(paths.path("/api/widget/conversations/{id}/messages").path("post").path("responses").has("202")).isTrue();
    }

    private static HttpResponse<String> raw(HttpRequest.Builder request) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long storedWith(UUID clientMessageId) {
        return jdbc.queryForObject("select count(*) from messages where client_message_id = ?", Long.class,
                clientMessageId);
    }

    private static JsonNode message(Reply reply, long seq) {
        for (JsonNode message : reply.json().path("messages")) {
            if (message.path("seq").asLong() == seq) {
                return message;
            }
        }
        throw new AssertionError("No message " + seq + " in " + reply.json());
    }

    private static void assertBadRequestNaming(Reply reply, String field) {
        assertThat(reply.status()).as(reply.raw().body()).isEqualTo(400);
        assertThat(reply.text("detail")).as(reply.raw().body()).contains(field);
        assertThat(reply.json().path("errors")).anySatisfy(error ->
                assertThat(error.path("field").asString()).isEqualTo(field));
    }
}
