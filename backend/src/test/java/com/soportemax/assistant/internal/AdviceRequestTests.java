package com.soportemax.assistant.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class AdviceRequestTests {

    @ParameterizedTest
    @ValueSource(strings = {
            "¿Qué marca de zapatillas me recomiendas, Nike o Adidas?",
            "q portatil me recomendais pa la uni?",
            "¿Merece la pena comprar ahora o mejor espero a las rebajas?",
            "cual es mejor, el iphone o el samsung??",
            "¿Qué móvil tiene mejor cámara?",
            "¿tú qué opinas de los patinetes eléctricos?",
            "Which laptop would you recommend for gaming?",
            "Is it worth buying the extended warranty?",
            "which of the two models is better?"})
    void recognisesAMessageThatAsksForAdviceOrAnOpinion(String message) {
        assertThat(AdviceRequest.phrase(CustomerText.of(message))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "¿Cuánto cuesta el envío a Canarias?",
            "¿Cómo hago una devolución?",
            "mi pedido no llega y ya ha pasado una semana",
            "¿Cuál es la forma de pago más rápida?",
            "How do I reset my password?",
            "me da pena tener que devolverlo"})
    void leavesQuestionsAboutFactsAlone(String message) {
        assertThat(AdviceRequest.phrase(CustomerText.of(message))).isEmpty();
    }
}
