package com.soportemax.assistant.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ExplicitSignalTests {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            QUIERO HABLAR CON UNA PERSONA                         | ASKS_FOR_PERSON
            quiero hablar con una persona                         | ASKS_FOR_PERSON
            ¿Me pasas con un agente humano?                       | ASKS_FOR_PERSON
            Can I speak to a real person please?                  | ASKS_FOR_PERSON
            Esto es una estafa, voy a ir a los tribunales         | SENSITIVE
            Mi abogada se pondrá en contacto                      | SENSITIVE
            Ya estoy HARTÍSIMO no, estoy harto de esperar          | SENSITIVE
            I will take legal action                              | SENSITIVE
            Cancelad mi cuenta                                    | ACCOUNT_ACTION
            cancelád mí cuenta ya!!!                              | ACCOUNT_ACTION
            Dadme de baja de la newsletter                        | ACCOUNT_ACTION
            Devolvedme el dinero del pedido 1234                  | ACCOUNT_ACTION
            Please close my account                               | ACCOUNT_ACTION
            """)
    void recognisesSignalsIgnoringCaseAndAccents(String message, ExplicitSignal expected) {
        assertThat(ExplicitSignal.detect(message)).hasValueSatisfying(d -> assertThat(d.signal()).isEqualTo(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "¿Cómo cancelo mi cuenta?",
            "¿Cómo puedo cambiar mi dirección de envío?",
            "¿Cuánto tarda un reembolso?",
            "How do I close my account?",
            "El producto es de persona a persona",
            "Mi pedido no ha llegado",
            "Quiero devolver unas zapatillas",
            "¿Tenéis el modelo Humanoide X?"})
    void leavesOrdinaryQuestionsToTheKnowledgeBase(String message) {
        assertThat(ExplicitSignal.detect(message)).isEmpty();
    }
}
