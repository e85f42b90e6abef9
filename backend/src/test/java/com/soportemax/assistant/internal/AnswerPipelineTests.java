package com.soportemax.assistant.internal;

import com.soportemax.assistant.ScriptedLanguageModel;
import com.soportemax.assistant.AssistantSettings;

import com.soportemax.TestDatabase;
import com.soportemax.chat.Author;
import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.SourceRef;
import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.GenerationException;
import com.soportemax.knowledge.Passage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;
import org.springframework.test.context.TestPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static com.soportemax.assistant.internal.FixedKnowledgeBase.passage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

@ApplicationModuleTest
@Import({TestDatabase.class, com.soportemax.assistant.AssistantTestBeans.class, com.soportemax.assistant.AssistantTestBeans.WithScriptedModel.class})
@TestPropertySource(properties = "soportemax.assistant.generation-timeout=2s")
class AnswerPipelineTests {

    static final Passage RETURNS = passage("devoluciones-plazo", "Plazo para devolver un pedido",
            "Tienes 30 días naturales desde la entrega para devolver un pedido sin dar explicaciones.", 0.82);
    static final Passage SHIPPING = passage("envio-plazos", "Plazos de envío",
            "Los pedidos peninsulares llegan en 24-48 horas laborables.", 0.41);
    static final String ANSWER = "Tienes 30 días desde la entrega para devolver tu pedido.";

    @Autowired AnswerPipeline pipeline;
    @Autowired RecordingBotReplies replies;
    @Autowired FixedKnowledgeBase knowledge;
    @Autowired ScriptedLanguageModel model;
    @Autowired BotAnswerLog answers;
    @Autowired AssistantSettingsStore settings;
    @Autowired ApplicationEventPublisher events;
    @Autowired TransactionTemplate transaction;
    @Autowired AssistantSettings defaults;

    @BeforeEach
    void resetScript() {
        model.reset();
        knowledge.returns(RETURNS, SHIPPING);
    }

    @Test
    void deliversAConfidentAnswerWithItsSourcesAndStoresTheConfidenceComponents() {
        model.answer(ANSWER, -0.05);
        var message = message("¿Cuántos días tengo para devolver un pedido?");

        pipeline.answer(message);

        var delivered = replies.delivered(message.conversationId()).orElseThrow();
        assertThat(delivered.answer().text()).isEqualTo(ANSWER);
        assertThat(delivered.answer().sources()).containsExactly(
                new SourceRef("devoluciones-plazo", "Plazo para devolver un pedido"),
                new SourceRef("envio-plazos", "Plazos de envío"));
        assertThat(delivered.answer().confidence()).isGreaterThan(0.55);
        assertThat(ANSWER).as("only held-back-checked text streams").startsWith(replies.streamed(message.conversationId()));
        assertThat(replies.escalated(message.conversationId())).isEmpty();

        BotAnswerRecord stored = answers.find(message.conversationId(), message.seq()).orElseThrow();
        assertThat(stored.outcome()).isEqualTo(BotAnswerRecord.Outcome.DELIVERED);
        assertThat(stored.botSeq()).contains(delivered.seq());
        assertThat(stored.mode()).isEqualTo(BotAnswerRecord.Mode.LLM);
        assertThat(stored.confidence().value()).isCloseTo(delivered.answer().confidence(), within(1e-9));
        assertThat(stored.confidence().retrieval()).isCloseTo(0.82, within(1e-9));
        assertThat(stored.confidence().meanLogProb()).hasValueSatisfying(m -> assertThat(m).isCloseTo(-0.05, within(1e-9)));
        assertThat(stored.confidence().minTokenProb()).hasValueSatisfying(p -> assertThat(p).isCloseTo(Math.exp(-0.05), within(1e-9)));
        assertThat(stored.passages()).extracting(PassageUsed::externalId, PassageUsed::title, PassageUsed::score)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("devoluciones-plazo", "Plazo para devolver un pedido", 0.82),
                        org.assertj.core.groups.Tuple.tuple("envio-plazos", "Plazos de envío", 0.41));
        assertThat(stored.settingsVersion()).isEqualTo(settings.current().version());
        assertThat(stored.generation()).hasValueSatisfying(g -> {
            assertThat(g.completionTokens()).isEqualTo(ScriptedLanguageModel.words(ANSWER));
            assertThat(g.tokensPerSecond()).isPositive();
        });
        assertThat(stored.modelName()).contains("scripted");
    }

    @Test
    void promptsWithTheSystemPromptTheNumberedPassagesAndTheCustomersLanguage() {
        var message = new CustomerMessagePosted(ConversationId.random(), 1, "How many days do I have to return an order?",
                "en", Instant.now());

        pipeline.answer(message);

        List<ChatMessage> prompt = ScriptedLanguageModel.messages(model.requests().getLast());
        String system = prompt.getFirst().content();
        assertThat(prompt.getFirst().role()).isEqualTo(ChatMessage.Role.SYSTEM);
        assertThat(system).startsWith(settings.current().systemPrompt())
                .contains("Reply in English.")
                .contains("[1] Plazo para devolver un pedido\nTienes 30 días naturales")
                .contains("[2] Plazos de envío");
        assertThat(prompt.getLast()).isEqualTo(ChatMessage.user(message.text()));
    }

    @Test
    void escalatesALowConfidenceAnswerWithTheDraftForTheAgent() {
        model.answer(ANSWER, -2.5);
        var message = message("¿Cuántos días tengo para devolver un pedido?");

        pipeline.answer(message);

        var escalated = replies.escalated(message.conversationId()).orElseThrow();
        assertThat(escalated.reason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
        assertThat(escalated.detail()).contains("unsure");
        assertThat(ANSWER).as("the draft so far goes to the agent").startsWith(escalated.draft());
        assertThat(escalated.seq()).as("the open bot message is withdrawn").isPositive();
        assertThat(replies.streamed(message.conversationId())).as("nothing doubtful was streamed").isEmpty();
        assertThat(replies.delivered(message.conversationId())).isEmpty();
        BotAnswerRecord stored = answers.find(message.conversationId(), message.seq()).orElseThrow();
        assertThat(stored.escalationReason()).contains(EscalationReason.LOW_CONFIDENCE);
        assertThat(stored.confidence().value()).isLessThan(0.55);
        assertThat(stored.answerText()).isEqualTo(escalated.draft());
    }

    @Test
    void escalatesAFluentButLoopingAnswerThatProbabilitiesAloneWouldLetThrough() {
        String loop = "tu pedido llega pronto ".repeat(10).strip();
        model.answer(loop, -0.02);
        var message = message("¿Cuánto tarda en llegar mi pedido?");

        pipeline.answer(message);

        var escalated = replies.escalated(message.conversationId()).orElseThrow();
        assertThat(escalated.reason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
        assertThat(escalated.detail()).contains("repeats itself");
        assertThat(escalated.draft()).startsWith("tu pedido llega pronto");
        assertThat(replies.streamed(message.conversationId()).length()).as("the loop was stopped before it was shown")
                .isLessThan(loop.length() / 2);
    }

    @Test
    void escalatesAnAnswerCutOffByTheTokenLimit() {
        settings.change(new EditableSettings("Responde.", 0.2, 0.9, 16, 0.55, 0.3, 0.6), "test");
        model.answer("Los pedidos llegan pronto y además puedes seguir cada envío desde tu cuenta con el enlace que "
                + "te mandamos por correo cuando sale del almacén, incluso los fines de semana y festivos", -0.05);
        var message = message("¿Cuánto tarda en llegar mi pedido?");

        pipeline.answer(message);

        assertThat(replies.escalated(message.conversationId()).orElseThrow().detail()).contains("cut off");
        settings.change(EditableSettings.initial(defaults), "test cleanup");
    }

    @Test
    void escalatesWithoutGeneratingWhenRetrievalFindsNothing() {
        knowledge.returns();
        var message = message("¿Vendéis bicicletas de montaña?");

        pipeline.answer(message);

        assertThat(replies.escalated(message.conversationId())).hasValueSatisfying(e -> {
            assertThat(e.reason()).isEqualTo(EscalationReason.NO_KNOWLEDGE);
            assertThat(e.draft()).isEmpty();
        });
        assertThat(model.requests()).isEmpty();
        assertThat(replies.begun(message.conversationId())).isFalse();
    }

    @Test
    void showsEvenAWeakPassageToTheModelAndEscalatesWhenTheModelSaysItDoesNotKnow() {
        knowledge.returns(passage("garantia", "Garantía", "Dos años de garantía.", 0.05));
        model.answer("Lo siento, no tengo esa información; una persona del equipo te ayudará.", -0.05);
        var message = message("¿Tenéis tienda en Marte?");

        pipeline.answer(message);

        assertThat(model.requests()).as("no hard retrieval gate").hasSize(1);
        assertThat(replies.escalated(message.conversationId())).hasValueSatisfying(e -> {
            assertThat(e.reason()).isEqualTo(EscalationReason.NO_KNOWLEDGE);
            assertThat(e.detail()).contains("says the passages do not answer");
        });
    }

    @Test
    void escalatesAFluentAnswerThatStatesANumberNoPassageGives() {
        model.answer("Tienes 45 días desde la entrega para devolver tu pedido.", -0.02);
        var message = message("¿Cuántos días tengo para devolver un pedido?");

        pipeline.answer(message);

        assertThat(replies.escalated(message.conversationId())).hasValueSatisfying(e -> {
            assertThat(e.reason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
            assertThat(e.detail()).contains("[45]");
        });
        assertThat(answers.find(message.conversationId(), message.seq()).orElseThrow().confidence().grounding())
                .hasValueSatisfying(g -> assertThat(g).isGreaterThan(0.5));
    }

    @Test
    void escalatesWithoutGeneratingAnAdviceRequestWhoseSubjectTheBestPassageDoesNotHold() {
        knowledge.returnsCovering(0.2, RETURNS, SHIPPING);
        model.answer(ANSWER, -0.01);
        var message = message("¿Qué portátil me recomiendas para la universidad, el Lenovo o el HP?");

        pipeline.answer(message);

        assertThat(replies.escalated(message.conversationId())).hasValueSatisfying(e -> {
            assertThat(e.reason()).isEqualTo(EscalationReason.NO_KNOWLEDGE);
            assertThat(e.detail()).contains("asks for advice (\"recomiendas\")").contains("20 %");
        });
        assertThat(model.requests()).isEmpty();
        assertThat(replies.begun(message.conversationId())).isFalse();
    }

    @Test
    void answersAnAdviceRequestAboutWhatTheBestPassageCovers() {
        knowledge.returnsCovering(0.9, RETURNS, SHIPPING);
        model.answer(ANSWER, -0.05);
        var message = message("¿Me recomendáis devolver el pedido dentro de los 30 días?");

        pipeline.answer(message);

        assertThat(model.requests()).hasSize(1);
        assertThat(replies.delivered(message.conversationId())).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            Quiero hablar con una persona, por favor                     | CUSTOMER_REQUEST
            I want to talk to a human                                     | CUSTOMER_REQUEST
            Si no me devolvéis el dinero llamo a mi ABOGADO y os denuncio | SENSITIVE_TOPIC
            This is a scam, my lawyer will hear about it                  | SENSITIVE_TOPIC
            Cancelad mi cuenta hoy mismo                                  | ACCOUNT_ACTION
            Please delete my account                                      | ACCOUNT_ACTION
            """)
    void escalatesExplicitSignalsWithoutGenerating(String text, EscalationReason reason) {
        model.answer(ANSWER, -0.01);
        var message = message(text);

        pipeline.answer(message);

        assertThat(replies.escalated(message.conversationId())).map(RecordingBotReplies.Escalated::reason)
                .contains(reason);
        assertThat(model.requests()).isEmpty();
        assertThat(replies.begun(message.conversationId())).isFalse();
        BotAnswerRecord stored = answers.find(message.conversationId(), message.seq()).orElseThrow();
        assertThat(stored.confidence().signal()).isPresent();
        assertThat(stored.confidence().value()).isZero();
    }

    @Test
    void escalatesAsEngineFailureWhenTheModelThrowsAndKeepsTheConversation() {
        model.failWith(new GenerationException("out of memory while decoding"));
        var message = message("¿Cuántos días tengo para devolver un pedido?");

        pipeline.answer(message);

        var escalated = replies.escalated(message.conversationId()).orElseThrow();
        assertThat(escalated.reason()).isEqualTo(EscalationReason.ENGINE_FAILURE);
        assertThat(escalated.detail()).contains("out of memory while decoding");
        assertThat(answers.find(message.conversationId(), message.seq()))
                .map(BotAnswerRecord::escalationReason).contains(java.util.Optional.of(EscalationReason.ENGINE_FAILURE));
    }

    @Test
    void escalatesAsEngineFailureWhenTheModelTakesLongerThanTheTimeout() {
        model.answer(ANSWER, -0.05).delayPerToken(Duration.ofMillis(400));
        var message = message("¿Cuántos días tengo para devolver un pedido?");

        pipeline.answer(message);

        assertThat(replies.escalated(message.conversationId())).map(RecordingBotReplies.Escalated::reason)
                .contains(EscalationReason.ENGINE_FAILURE);
        assertThat(replies.delivered(message.conversationId())).isEmpty();
    }

    @Test
    void aSettingsChangeAppliesToTheNextAnswerWhichRecordsItsVersion() {
        model.answer(ANSWER, -0.05);
        var before = message("¿Cuántos días tengo para devolver un pedido?");
        pipeline.answer(before);
        assertThat(replies.delivered(before.conversationId())).isPresent();

        EditableSettings stricter = new EditableSettings("Responde como un pirata.", 0.7, 0.8, 200, 1.0, 0.3, 0.6);
        SettingsVersion changed = settings.change(stricter, "admin@soportemax.test");
        var after = message("¿Cuántos días tengo para devolver un pedido?");
        pipeline.answer(after);

        assertThat(replies.escalated(after.conversationId())).map(RecordingBotReplies.Escalated::reason)
                .contains(EscalationReason.LOW_CONFIDENCE);
        assertThat(answers.find(after.conversationId(), after.seq()).orElseThrow().settingsVersion())
                .isEqualTo(changed.version())
                .isGreaterThan(answers.find(before.conversationId(), before.seq()).orElseThrow().settingsVersion());
        var request = model.requests().getLast();
        assertThat(request.sampling().temperature()).isEqualTo(0.7);
        assertThat(request.sampling().topP()).isEqualTo(0.8);
        assertThat(request.maxTokens()).isEqualTo(200);
        assertThat(ScriptedLanguageModel.messages(request).getFirst().content()).startsWith("Responde como un pirata.");
        settings.change(EditableSettings.initial(defaults), "test cleanup");
    }

    @Test
    void trimsTheOldestHistoryToFitTheContextWindowAndKeepsTheLatest() {
        model.answer(ANSWER, -0.05).contextLength(700);
        var message = message("¿Y si el pedido llegó roto?");
        List<ChatTurn> history = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            history.add(new ChatTurn(Author.CUSTOMER, "pregunta " + i + " " + "palabra ".repeat(40)));
            history.add(new ChatTurn(Author.BOT, "respuesta " + i + " " + "palabra ".repeat(40)));
        }
        replies.history(message.conversationId(), history);

        pipeline.answer(message);

        var request = model.requests().getLast();
        List<ChatMessage> prompt = ScriptedLanguageModel.messages(request);
        assertThat(model.countTokens(request.prompt()) + request.maxTokens()).isLessThanOrEqualTo(700);
        assertThat(prompt.get(prompt.size() - 2).content()).startsWith("respuesta 10 ");
        assertThat(prompt).noneMatch(m -> m.content().startsWith("pregunta 1 "));
        assertThat(prompt.getLast()).isEqualTo(ChatMessage.user(message.text()));
        assertThat(prompt).filteredOn(m -> m.content().equals(message.text())).hasSize(1);
        assertThat(replies.historyRequests()).as("history is read before this message, by seq").contains(message.seq());
        assertThat(replies.delivered(message.conversationId())).isPresent();
    }

    @Test
    void answersEachCustomerMessageOnceEvenWhenTheEventComesAgain() {
        model.answer(ANSWER, -0.05);
        var message = message("¿Cuántos días tengo para devolver un pedido?");

        pipeline.answer(message);
        pipeline.answer(message);

        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void answersCustomerMessagesPublishedByTheChatModuleOffTheRequestThread() {
        model.answer(ANSWER, -0.05);
        var message = message("¿Cuántos días tengo para devolver un pedido?");

        transaction.executeWithoutResult(status -> events.publishEvent(message));

        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(replies.delivered(message.conversationId())).isPresent());
        assertThat(replies.delivered(message.conversationId()).orElseThrow().answer().text()).isEqualTo(ANSWER);
    }

    static CustomerMessagePosted message(String text) {
        return new CustomerMessagePosted(ConversationId.random(), 1, text, "es", Instant.now());
    }
}
