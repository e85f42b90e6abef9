package com.soportemax.chat;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.Event;
import com.soportemax.WidgetClient.EventStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class EventStreamTests {

    @LocalServerPort
    int port;

    @Autowired
    BotReplies botReplies;

    WidgetClient widget;

    @BeforeEach
    void connect() {
        widget = new WidgetClient(port);
    }

    @Test
    void resumingWithLastEventIdReplaysOnlyTheMessagesAfterIt() throws Exception {
        Conversation conversation = widget.start("es");
        widget.escalate(conversation); // seq 1, a SYSTEM notice; no bot answers meanwhile
        widget.post(conversation, UUID.randomUUID(), "primero");   // seq 2
        widget.post(conversation, UUID.randomUUID(), "segundo");   // seq 3
        widget.post(conversation, UUID.randomUUID(), "tercero");   // seq 4

        try (EventStream stream = widget.events(conversation, "2")) {
            assertThat(stream.status).isEqualTo(200);
            Event third = stream.next("message");
            Event fourth = stream.next("message");

            assertThat(third.id()).isEqualTo("3");
            assertThat(third.json().path("text").asString()).isEqualTo("segundo");
            assertThat(third.json().path("role").asString()).isEqualTo("CUSTOMER");
            assertThat(fourth.id()).isEqualTo("4");
            assertThat(fourth.json().path("text").asString()).isEqualTo("tercero");
            assertThat(stream.drain(Duration.ofMillis(500))).noneMatch(event -> event.name().equals("message"));
        }
    }

    @Test
    void withoutLastEventIdReplaysEverythingThenStreamsLiveMessages() throws Exception {
        Conversation conversation = widget.start("en");
        widget.escalate(conversation);

        try (EventStream stream = widget.events(conversation, null)) {
            assertThat(stream.next("message").json().path("role").asString()).isEqualTo("SYSTEM");

            widget.post(conversation, UUID.randomUUID(), "anyone there?");

            Event live = stream.next("message");
            assertThat(live.id()).isEqualTo("2");
            assertThat(live.json().path("text").asString()).isEqualTo("anyone there?");
        }
    }

    @Test
    void streamsTheBotsTokensThenTheCompletedAnswer() throws Exception {
        Conversation conversation = widget.start("es");
        ConversationId id = ConversationId.parse(conversation.id());

        try (EventStream stream = widget.events(conversation, null)) {
            stream.awaitReplayed();
            long seq = botReplies.begin(id);
            botReplies.stream(id, seq, "Puedes ");
            botReplies.stream(id, seq, "devolverlo en 30 días.");
            botReplies.deliver(id, seq, new BotAnswer("Puedes devolverlo en 30 días.", 0.9,
                    List.of(new SourceRef("devoluciones", "Devoluciones y reembolsos"))));

            Event opened = stream.next("delta");
            Event first = stream.next("delta");
            Event second = stream.next("delta");
            Event done = stream.next("message");

            assertThat(opened.json().path("seq").asLong()).isEqualTo(seq);
            assertThat(opened.json().path("text").asString()).isEmpty();
            assertThat(opened.id()).isNull();
            assertThat(first.json().path("offset").asInt()).isZero();
            assertThat(first.json().path("text").asString()).isEqualTo("Puedes ");
            assertThat(second.json().path("offset").asInt()).isEqualTo(7);
            assertThat(second.json().path("text").asString()).isEqualTo("devolverlo en 30 días.");
            assertThat(done.id()).isEqualTo(Long.toString(seq));
            assertThat(done.json().path("complete").asBoolean()).isTrue();
            assertThat(done.json().path("confidence").asDouble()).isEqualTo(0.9);
            assertThat(done.json().path("sources").get(0).path("title").asString()).isEqualTo("Devoluciones y reembolsos");
        }
    }

    @Test
    void reconnectingWhileTheBotWritesGetsTheDraftSoFar() throws Exception {
        Conversation conversation = widget.start("es");
        ConversationId id = ConversationId.parse(conversation.id());
        long seq = botReplies.begin(id);
        botReplies.stream(id, seq, "Hola, ");
        botReplies.stream(id, seq, "te cuento");

        try (EventStream stream = widget.events(conversation, "0")) {
            Event draft = stream.next("delta");

            assertThat(draft.json().path("seq").asLong()).isEqualTo(seq);
            assertThat(draft.json().path("offset").asInt()).isZero();
            assertThat(draft.json().path("text").asString()).isEqualTo("Hola, te cuento");
        }
        botReplies.deliver(id, seq, new BotAnswer("Hola, te cuento.", 0.7, List.of()));
    }

    @Test
    void aWithdrawnBotAnswerIsRetractedAndTheCustomerIsTold() throws Exception {
        Conversation conversation = widget.start("en");
        ConversationId id = ConversationId.parse(conversation.id());

        try (EventStream stream = widget.events(conversation, null)) {
            stream.awaitReplayed();
            long seq = botReplies.begin(id);
            botReplies.stream(id, seq, "I think you could");
            botReplies.escalate(id, seq, EscalationReason.LOW_CONFIDENCE, "confidence 0.31 < 0.55", "I think you could");

            Event retract = stream.next("retract");
            Event notice = stream.next("message");
            Event state = stream.next("state");

            assertThat(retract.json().path("seq").asLong()).isEqualTo(seq);
            assertThat(notice.json().path("role").asString()).isEqualTo("SYSTEM");
            assertThat(notice.json().path("text").asString()).contains("team");
            assertThat(state.json().path("state").asString()).isEqualTo("ESCALATED");
        }
        assertThat(widget.messages(conversation, 0).json().path("messages"))
                .noneMatch(message -> message.path("role").asString().equals("BOT"));
    }

    @Test
    void aMessageFinishedAfterALaterOneIsStillReplayedOnResume() throws Exception {
        Conversation conversation = widget.start("es");
        ConversationId id = ConversationId.parse(conversation.id());
        long botSeq = botReplies.begin(id);
        widget.escalate(conversation); // a later SYSTEM notice while the bot is still writing

        String resumeFrom;
        try (EventStream stream = widget.events(conversation, null)) {
            Event notice = stream.next("message");
            assertThat(notice.json().path("seq").asLong()).isGreaterThan(botSeq);
            resumeFrom = notice.id();
        }
        botReplies.deliver(id, botSeq, new BotAnswer("Respuesta tardía", 0.6, List.of()));

        try (EventStream resumed = widget.events(conversation, resumeFrom)) {
            assertThat(resumed.next("message").json().path("seq").asLong()).isEqualTo(botSeq);
        }
    }
}
