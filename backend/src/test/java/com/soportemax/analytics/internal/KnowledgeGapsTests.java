package com.soportemax.analytics.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KnowledgeGapsTests {

    @Test
    void questionsAreComparedByTheirWordsNotByThePlaceholdersOrMaskedCardsInThem() {
        assertThat(KnowledgeGaps.terms("Mi tarjeta •••• •••• •••• 6467 no funciona, escribidme a <EMAIL_1>"))
                .containsExactly("tarjet", "funcio", "escrib");
        assertThat(KnowledgeGaps.terms("¿Hacéis descuentos a asociaciones? Mi tarjeta es •••• •••• •••• 6467"))
                .doesNotContain("6467").contains("descue", "asocia");
    }
}
