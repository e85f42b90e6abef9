package com.soportemax.chat.internal;

import com.soportemax.TestDatabase;
import com.soportemax.chat.Author;
import com.soportemax.chat.BotAnswer;
import com.soportemax.chat.BotReplies;
import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.chat.PostedMessage;
import com.soportemax.chat.SourceRef;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
@RecordApplicationEvents
class ConversationEventsTests {

    @Autowired
    Conversations conversations;

    @Autowired
    BotReplies botReplies;

    @Autowired
    AbandonedDrafts abandonedDrafts;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ApplicationEvents events;

    @Test
    void theBotIsAskedToAnswerOnlyWhileItIsInCharge() {
        ConversationId withBot = conversations.start(Language.EN).conversationId();
        ConversationId withQueue = conversations.start(Language.ES).conversationId();
        conversations.escalateByCustomer(withQueue);

        PostedMessage asked = conversations.postCustomerMessage(withBot, UUID.randomUUID(), "Where is my parcel?");
        conversations.postCustomerMessage(withQueue, UUID.randomUUID(), "¿Hola?");

        List<CustomerMessagePosted> posted = events.stream(CustomerMessagePosted.class).toList();
        assertThat(posted).singleElement().satisfies(event -> {
            assertThat(event.conversationId()).isEqualTo(withBot);
            assertThat(event.seq()).isEqualTo(asked.seq());
            assertThat(event.text()).isEqualTo("Where is my parcel?");
            assertThat(event.locale()).isEqualTo("en");
        });
    }

    @Test
    void aRetryDoesNotAskTheBotTwice() {
        ConversationId conversation = conversations.start(Language.ES).conversationId();
        UUID clientMessageId = UUID.randomUUID();

        conversations.postCustomerMessage(conversation, clientMessageId, "Quiero cambiar la talla");
        conversations.postCustomerMessage(conversation, clientMessageId, "Quiero cambiar la talla");

        assertThat(events.stream(CustomerMessagePosted.class)).hasSize(1);
    }

    @Test
    void aBotDraftNobodyFinishesIsWithdrawn() {
        ConversationId conversation = conversations.start(Language.ES).conversationId();
        long seq = botReplies.begin(conversation);
        jdbc.update("update messages set created_at = now() - interval '1 hour' where conversation_id = ? and seq = ?",
                conversation.value(), seq);

        abandonedDrafts.withdraw();

        assertThat(conversations.messagesAfter(conversation, 0).messages()).noneMatch(message -> message.seq() == seq);
        assertThat(botReplies.history(conversation, Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void aReplyWrittenWholeReachesTheCustomerCompleteWithItsSources() {
        ConversationId conversation = conversations.start(Language.ES).conversationId();

        long seq = botReplies.reply(conversation, new BotAnswer("Llega en 48 horas.", 0.82,
                List.of(new SourceRef("kb-envios", "Plazos de envío"))));

        assertThat(conversations.messagesAfter(conversation, 0).messages()).filteredOn(m -> m.seq() == seq)
                .singleElement().satisfies(message -> {
                    assertThat(message.role()).isEqualTo(Author.BOT);
                    assertThat(message.complete()).isTrue();
                    assertThat(message.text()).isEqualTo("Llega en 48 horas.");
                    assertThat(message.confidence()).isEqualTo(0.82);
                    assertThat(message.sources()).extracting(SourceRef::externalId).containsExactly("kb-envios");
                });
        assertThat(botReplies.history(conversation, Long.MAX_VALUE, 10)).extracting(ChatTurn::text)
                .containsExactly("Llega en 48 horas.");
        assertThat(jdbc.queryForObject("select count(*) from live_events where conversation_id = ? and seq = ?",
                Integer.class, conversation.value(), seq)).as("one event for the widget, no draft first").isEqualTo(1);
    }
}
