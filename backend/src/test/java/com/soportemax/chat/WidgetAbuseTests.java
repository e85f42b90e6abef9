package com.soportemax.chat;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.chat.internal.StreamAdmission;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Flow;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one hostile widget client tried against an earlier version, each of which must now fail: holding thousands
 * of event streams, streaming closed conversations, huge bodies, NUL bytes and control characters, bidi overrides,
 * and fake escalations.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "soportemax.chat.limits.streams-per-address=3",
        "soportemax.chat.limits.streams-per-conversation=2",
        "soportemax.chat.limits.streams-total=5",
        "soportemax.chat.limits.stream-retry-after=7s",
        "soportemax.chat.limits.escalations.capacity=3",
        "soportemax.chat.heartbeat=1s"})
@Import(TestDatabase.class)
class WidgetAbuseTests {

    @LocalServerPort
    int port;

    @Autowired
    StreamAdmission admission;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    WidgetClient widget;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<InputStream> open = new ArrayList<>();

    @AfterEach
    void closeStreams() throws Exception {
        for (InputStream stream : open) {
            stream.close();
        }
    }

    @Test
    void eventStreamsAreCappedPerConversationPerAddressAndInTotal() throws Exception {
        widget = new WidgetClient(port);
        awaitTrue(() -> admission.open() == 0, "no stream left open by another test");
        WidgetClient.Conversation first = widget.start("es");
        WidgetClient.Conversation second = widget.start("es");
        WidgetClient.Conversation third = widget.start("es");

        assertThat(stream(first, "192.0.2.1").statusCode()).isEqualTo(200);
        assertThat(stream(first, "192.0.2.1").statusCode()).isEqualTo(200);
        HttpResponse<InputStream> sameConversation = stream(first, "192.0.2.1");
        assertThat(sameConversation.statusCode()).isEqualTo(429);
        assertThat(sameConversation.headers().firstValue("Retry-After")).contains("7");

        assertThat(stream(second, "192.0.2.1").statusCode()).isEqualTo(200);
        HttpResponse<InputStream> sameAddress = stream(third, "192.0.2.1");
        assertThat(sameAddress.statusCode()).as("the address holds its share").isEqualTo(429);
        assertThat(sameAddress.headers().firstValue("Retry-After")).isPresent();

        WidgetClient.Conversation fourth = widget.start("es");
        assertThat(stream(fourth, "192.0.2.2").statusCode()).isEqualTo(200);
        assertThat(stream(fourth, "192.0.2.2").statusCode()).isEqualTo(200);
        HttpResponse<InputStream> full = stream(widget.start("es"), "192.0.2.3");
        assertThat(full.statusCode()).as("the server holds its total").isEqualTo(503);
        assertThat(full.headers().firstValue("Retry-After")).contains("7");

        // Once the hostile client lets go (the server notices at the next keep-alive), others get in again.
        for (InputStream stream : open) {
            stream.close();
        }
        open.clear();
        awaitTrue(() -> admission.open() == 0, "closed streams are given back");
        assertThat(stream(third, "192.0.2.3").statusCode()).isEqualTo(200);
    }

    @Test
    void aClosedConversationGetsNoEventStream() throws Exception {
        widget = new WidgetClient(port);
        WidgetClient.Conversation conversation = widget.start("es");
        assertThat(widget.send("POST", "/api/widget/conversations/" + conversation.id() + "/close", null,
                conversation.bearer()).status()).isEqualTo(200);
        HttpResponse<InputStream> stream = stream(conversation, "192.0.2.4");
        assertThat(stream.statusCode()).isEqualTo(409);
        assertThat(new String(stream.body().readAllBytes())).contains("closed");
    }

    @Test
    void bodiesOverSixtyFourKilobytesAreRefusedBeforeParsing() throws Exception {
        widget = new WidgetClient(port);
        WidgetClient.Conversation conversation = widget.start("es");
        String huge = "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"text\":\"" + "a".repeat(70_000) + "\"}";
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(uri("/api/widget/conversations/"
                        + conversation.id() + "/messages")).header("Content-Type", "application/json")
                .header("Authorization", conversation.bearer())
                .POST(HttpRequest.BodyPublishers.ofString(huge)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("65536");

        // Chunked, without a length, and without even a token: still refused at the cap.
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(uri("/api/widget/conversations"))
                .header("Content-Type", "application/json")
                .POST(unknownLength(("{\"locale\":\"es\",\"x\":\"" + "b".repeat(200_000) + "\"}").getBytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(widget.messages(conversation, 0).json().path("messages").size()).isZero();
    }

    @Test
    void controlCharactersAreRefusedWithTheFieldNamed() {
        widget = new WidgetClient(port);
        WidgetClient.Conversation conversation = widget.start("es");
        for (String text : List.of("hola\\u0000", "\\u0007ding", "esc \\u001b[31m", "c1 \\u0085")) {
            WidgetClient.Reply reply = widget.send("POST", "/api/widget/conversations/" + conversation.id() + "/messages",
                    "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"text\":\"" + text + "\"}", conversation.bearer());
            assertThat(reply.status()).as(text).isEqualTo(400);
            assertThat(reply.json().path("errors").path(0).path("field").asString()).isEqualTo("text");
            assertThat(reply.text("detail")).contains("control character");
        }
        WidgetClient.Reply rating = widget.send("POST", "/api/widget/conversations/" + conversation.id() + "/rating",
                "{\"score\":5,\"comment\":\"ok\\u0000\"}", conversation.bearer());
        assertThat(rating.status()).isEqualTo(400);
        assertThat(rating.json().path("errors").path(0).path("field").asString()).isEqualTo("comment");
        WidgetClient.Reply query = widget.send("GET", "/api/widget/conversations/" + conversation.id()
                + "/messages?after=%00", null, conversation.bearer());
        assertThat(query.status()).isEqualTo(400);
        assertThat(query.raw().body()).contains("after");
        // Line breaks and tabs are ordinary text.
        assertThat(widget.send("POST", "/api/widget/conversations/" + conversation.id() + "/messages",
                "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"text\":\"línea 1\\n\\tlínea 2\"}",
                conversation.bearer()).status()).isEqualTo(202);
    }

    @Test
    void bidiOverridesNeverReachTheAgentOrTheTranscript() {
        widget = new WidgetClient(port);
        WidgetClient.Conversation conversation = widget.start("es");
        assertThat(widget.post(conversation, UUID.randomUUID(), "factura\u202Efdp.exe y \u2067aislado\u2069").status())
                .isEqualTo(202);
        String stored = widget.messages(conversation, 0).json().path("messages").path(0).path("text").asString();
        assertThat(stored).isEqualTo("facturafdp.exe y aislado");
    }

    @Test
    void theTokenOfAConversationIdleForLongerThanItsLifetimeNoLongerWorks() {
        widget = new WidgetClient(port);
        WidgetClient.Conversation idle = widget.start("es");
        WidgetClient.Conversation active = widget.start("es");
        assertThat(widget.messages(idle, 0).status()).isEqualTo(200);
        // Yesterday's conversation on a shared computer (soportemax.chat.token-lifetime, 24 h by default).
        jdbc.update("update conversations set updated_at = now() - interval '25 hours' where id = ?::uuid", idle.id());
        WidgetClient.Reply expired = widget.messages(idle, 0);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.text("detail")).contains("expired");
        assertThat(widget.post(idle, UUID.randomUUID(), "hola").status()).isEqualTo(401);
        assertThat(widget.messages(active, 0).status()).isEqualTo(200);
    }

    @Test
    void aForgottenConversationsTokenNoLongerOpensItButTheConversationStaysForTheAgents() {
        widget = new WidgetClient(port);
        WidgetClient.Conversation forgotten = widget.start("es");
        WidgetClient.Conversation other = widget.start("es");
        assertThat(widget.post(forgotten, UUID.randomUUID(), "Mi pedido 4411 no ha llegado").status()).isEqualTo(202);

        assertThat(widget.send("DELETE", "/api/widget/conversations/" + forgotten.id() + "/token", null,
                other.bearer()).status()).as("another conversation's token cannot revoke this one").isEqualTo(404);
        assertThat(widget.send("DELETE", "/api/widget/conversations/" + forgotten.id() + "/token", null,
                forgotten.bearer()).status()).isEqualTo(204);

        WidgetClient.Reply read = widget.messages(forgotten, 0);
        assertThat(read.status()).isEqualTo(401);
        assertThat(read.text("detail")).contains("not valid");
        assertThat(widget.post(forgotten, UUID.randomUUID(), "¿Hola?").status()).isEqualTo(401);
        try (WidgetClient.EventStream stream = widget.events(forgotten, null)) {
            assertThat(stream.status).isEqualTo(401);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(widget.send("DELETE", "/api/widget/conversations/" + forgotten.id() + "/token", null,
                forgotten.bearer()).status()).as("forgetting twice").isEqualTo(401);
        assertThat(widget.messages(other, 0).status()).isEqualTo(200);
        // The customer's message (the bot's answer to it may or may not be stored yet).
        assertThat(jdbc.queryForObject("select count(*) from messages where conversation_id = ?::uuid"
                + " and author = 'CUSTOMER'", Long.class, forgotten.id()))
                .as("the support team still has the conversation").isEqualTo(1L);
    }

    @Test
    void escalationsAreRateLimitedPerAddress() {
        widget = new WidgetClient(port);
        int accepted = 0;
        WidgetClient.Reply refused = null;
        for (int i = 0; i < 5 && refused == null; i++) {
            WidgetClient.Conversation conversation = widget.start("es");
            WidgetClient.Reply reply = escalate(conversation, "192.0.2.77");
            if (reply.status() == 200) {
                accepted++;
            } else {
                refused = reply;
            }
        }
        assertThat(accepted).isEqualTo(3);
        assertThat(refused).isNotNull();
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(escalate(widget.start("es"), "192.0.2.78").status()).as("another address").isEqualTo(200);
    }

    private WidgetClient.Reply escalate(WidgetClient.Conversation conversation, String address) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/api/widget/conversations/"
                            + conversation.id() + "/escalate")).header("Authorization", conversation.bearer())
                    .header("X-Forwarded-For", address).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new WidgetClient.Reply(response.statusCode(), WidgetClient.JSON.missingNode(), response);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private HttpResponse<InputStream> stream(WidgetClient.Conversation conversation, String address) throws Exception {
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri("/api/widget/conversations/"
                        + conversation.id() + "/events")).header("Authorization", conversation.bearer())
                .header("Accept", "text/event-stream").header("X-Forwarded-For", address).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        open.add(response.body());
        return response;
    }

    private static HttpRequest.BodyPublisher unknownLength(byte[] body) {
        HttpRequest.BodyPublisher known = HttpRequest.BodyPublishers.ofByteArray(body);
        return new HttpRequest.BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super java.nio.ByteBuffer> subscriber) {
                known.subscribe(subscriber);
            }
        };
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Not within 20 s: " + what);
            }
            Thread.sleep(100);
        }
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
