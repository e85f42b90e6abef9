package com.soportemax.knowledge.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SemanticIndexTests {

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 16, 33, 384, 1024, 1031})
    void vectorDotProductMatchesTheScalarReference(int dimension) {
        Random random = new Random(dimension);
        float[] matrix = new float[dimension * 3 + 5];
        float[] v = new float[dimension];
        for (int i = 0; i < matrix.length; i++) matrix[i] = (float) random.nextGaussian();
        for (int i = 0; i < v.length; i++) v[i] = (float) random.nextGaussian();

        for (int offset : new int[]{0, 5, dimension + 5}) {
            float expected = SemanticIndex.dotScalar(matrix, offset, v);
            assertThat(SemanticIndex.dot(matrix, offset, v)).isCloseTo(expected,
                    within(1e-4f * Math.max(1, Math.abs(expected))));
        }
    }

    @Test
    void givesEachPassageItsOwnVectorsCosineAndNoneToAPassageWithoutAVector() {
        LexicalIndex index = LexicalIndex.of(List.of(source("Envíos", "Enviamos en 24 horas."),
                source("Pagos", "Aceptamos tarjeta."), source("Garantía", "Dos años de garantía.")));
        float[] shipping = {1, 0, 0};
        float[] payments = {0, 0.6f, 0.8f};
        SemanticIndex semantic = SemanticIndex.of(index, Map.of(
                PassageText.of("", "Envíos", "Enviamos en 24 horas.").sha256(), shipping,
                PassageText.of("", "Pagos", "Aceptamos tarjeta.").sha256(), payments), "");

        double[] cosines = semantic.cosines(new float[]{0, 0.8f, 0.6f});

        assertThat(semantic.rows()).isEqualTo(2);
        assertThat(cosines[0]).isCloseTo(0, within(1e-6));
        assertThat(cosines[1]).isCloseTo(0.96, within(1e-6));
        assertThat(cosines[2]).isNaN();
    }

    private static LexicalIndex.Source source(String title, String text) {
        return new LexicalIndex.Source(UUID.randomUUID(), title.toLowerCase(), 0, title, "es", List.of(), "", text,
                text, text);
    }
}
