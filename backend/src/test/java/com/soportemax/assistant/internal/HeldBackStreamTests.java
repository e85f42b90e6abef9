package com.soportemax.assistant.internal;

import com.soportemax.TestDatabase;
import com.soportemax.assistant.ScriptedLanguageModel;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.chat.EscalationReason;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.modulith.test.ApplicationModuleTest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static com.soportemax.assistant.internal.FixedKnowledgeBase.passage;
import static org.assertj.core.api.Assertions.assertThat;

/** Stream only what has passed: text reaches the customer a sentence behind the model, after the live checks. */
@ApplicationModuleTest
@Import({TestDatabase.class, com.soportemax.assistant.AssistantTestBeans.class,
        com.soportemax.assistant.AssistantTestBeans.WithScriptedModel.class})
class HeldBackStreamTests {

    static final String SURE = "Los pedidos peninsulares llegan en 24-48 horas laborables. Puedes seguir tu envío "
            + "desde el enlace del correo de confirmación. Si no llega en ese plazo, revisa la dirección de entrega "
            + "en tu cuenta y escríbenos. ";
    static final String DOUBTFUL = "Además te regalamos un cupón de cincuenta euros por las molestias causadas hoy.";

    @Autowired AnswerPipeline pipeline;
    @Autowired RecordingBotReplies replies;
    @Autowired FixedKnowledgeBase knowledge;
    @Autowired ScriptedLanguageModel model;

    @BeforeEach
    void knowledge() {
        model.reset();
        knowledge.returns(passage("envios", "Plazos de envío", SURE, 0.9));
    }

    @Test
    void stopsAndEscalatesBeforeTheDoubtfulPartIsSentWhenTheModelBecomesUnsureMidAnswer() {
        List<String> tokens = new ArrayList<>();
        List<Double> logProbs = new ArrayList<>();
        for (String t : SURE.split("(?=\\s)")) { tokens.add(t); logProbs.add(-0.05); }
        for (String t : (" " + DOUBTFUL).split("(?=\\s)")) { tokens.add(t); logProbs.add(-4.5); }
        model.answer(tokens, logProbs.stream().mapToDouble(Double::doubleValue).toArray());
        var message = new CustomerMessagePosted(ConversationId.random(), 1, "¿Cuánto tarda mi pedido?", "es",
                Instant.now());

        pipeline.answer(message);

        String streamed = replies.streamed(message.conversationId());
        assertThat(streamed).as("the sure sentences stream").startsWith("Los pedidos peninsulares llegan en 24-48");
        assertThat(streamed).doesNotContain("cupón").doesNotContain("regalamos").doesNotContain("Además");
        assertThat(replies.delivered(message.conversationId())).isEmpty();
        assertThat(replies.escalated(message.conversationId())).hasValueSatisfying(e -> {
            assertThat(e.reason()).isEqualTo(EscalationReason.LOW_CONFIDENCE);
            assertThat(e.detail()).contains("stopped while writing").contains("unsure");
        });
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void aSoundAnswerStreamsSentenceBySentenceAndIsDeliveredWhole() {
        model.answer(SURE.strip(), -0.05);
        var message = new CustomerMessagePosted(ConversationId.random(), 1, "¿Cuánto tarda mi pedido?", "es",
                Instant.now());

        pipeline.answer(message);

        String streamed = replies.streamed(message.conversationId());
        assertThat(streamed).isNotEmpty().endsWith(" ");
        assertThat(SURE).startsWith(streamed);
        assertThat(replies.delivered(message.conversationId()).orElseThrow().answer().text()).isEqualTo(SURE.strip());
    }
}
