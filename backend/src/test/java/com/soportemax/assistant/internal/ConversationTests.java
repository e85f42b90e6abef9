package com.soportemax.assistant.internal;

import com.soportemax.TestDatabase;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.chat.EscalationReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;

import java.time.Instant;

import static com.soportemax.assistant.internal.FixedKnowledgeBase.passage;
import static org.assertj.core.api.Assertions.assertThat;

/** Conversation, not only questions: small talk, one clarifying question, then a person (retrieval-only mode). */
@ApplicationModuleTest
@Import({TestDatabase.class, com.soportemax.assistant.AssistantTestBeans.class})
class ConversationTests {

    @Autowired AnswerPipeline pipeline;
    @Autowired RecordingBotReplies replies;
    @Autowired FixedKnowledgeBase knowledge;
    @Autowired BotAnswerLog answers;

    @BeforeEach
    void knowledge() {
        knowledge.returns(passage("envios", "Plazos de envío", "Los pedidos llegan en 24-48 horas laborables.", 0.9));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Hola                      | es | ¡Hola!
            buenas tardes!!           | es | ¡Hola!
            muchas gracias            | es | ¡De nada
            graciasss 👍               | es | ¡De nada
            vale, gracias, adios      | es | ¡Hasta pronto
            ok                        | es | Perfecto
            Hi there                  | es | Hi!
            thanks a lot!             | es | You're welcome
            bye                       | en | Goodbye
            """)
    void smallTalkGetsAShortFriendlyReplyInTheCustomersLanguageAndNoTicket(String text, String locale, String reply) {
        var message = message(ConversationId.random(), 1, text, locale);

        pipeline.answer(message);

        assertThat(replies.escalated(message.conversationId())).isEmpty();
        var delivered = replies.delivered(message.conversationId()).orElseThrow();
        assertThat(delivered.answer().text()).startsWith(reply);
        assertThat(delivered.answer().sources()).isEmpty();
        assertThat(answers.find(message.conversationId(), message.seq()).orElseThrow().outcome())
                .isEqualTo(BotAnswerRecord.Outcome.SMALL_TALK);
    }

    @Test
    void aGreetingWithAQuestionIsAnsweredNotTreatedAsSmallTalk() {
        var message = message(ConversationId.random(), 1, "hola! cuanto tarda en llegar mi pedido?", "es");

        pipeline.answer(message);

        assertThat(replies.delivered(message.conversationId()).orElseThrow().answer().sources())
                .extracting(s -> s.externalId()).containsExactly("envios");
    }

    @Test
    void aVagueMessageGetsOneClarifyingQuestionAndASecondVagueOneGoesToAPerson() {
        ConversationId conversation = ConversationId.random();
        var first = message(conversation, 1, "no funciona", "es");

        pipeline.answer(first);

        assertThat(replies.escalated(conversation)).isEmpty();
        assertThat(replies.delivered(conversation).orElseThrow().answer().text()).contains("¿Me cuentas un poco más?");
        assertThat(answers.find(conversation, 1).orElseThrow().outcome()).isEqualTo(BotAnswerRecord.Outcome.CLARIFIED);

        pipeline.answer(message(conversation, 3, "pues eso, que tengo un problema", "es"));

        assertThat(replies.escalated(conversation)).hasValueSatisfying(e -> {
            assertThat(e.reason()).isEqualTo(EscalationReason.NO_KNOWLEDGE);
            assertThat(e.detail()).contains("after one clarifying question");
        });
    }

    @Test
    void aClarifiedCustomerWhoThenAsksAClearQuestionGetsTheAnswer() {
        ConversationId conversation = ConversationId.random();
        pipeline.answer(message(conversation, 1, "tengo un problema con lo mio", "es"));

        pipeline.answer(message(conversation, 3, "mi pedido no llega, cuanto tarda el envio?", "es"));

        assertThat(replies.escalated(conversation)).isEmpty();
        assertThat(answers.find(conversation, 3).orElseThrow().outcome()).isEqualTo(BotAnswerRecord.Outcome.DELIVERED);
    }

    @Test
    void anEnglishMessageInASpanishWidgetIsAnsweredInEnglish() {
        var message = message(ConversationId.random(), 1, "hi, it does not work", "es");

        pipeline.answer(message);

        assertThat(replies.delivered(message.conversationId()).orElseThrow().answer().text())
                .startsWith("I'd like to help.");
    }

    static CustomerMessagePosted message(ConversationId conversation, long seq, String text, String locale) {
        return new CustomerMessagePosted(conversation, seq, text, locale, Instant.now());
    }
}
