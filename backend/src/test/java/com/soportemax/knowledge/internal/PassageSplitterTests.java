package com.soportemax.knowledge.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class PassageSplitterTests {

    private final PassageSplitter splitter = new PassageSplitter(600, 900, 200);

    @Test
    void keepsAShortArticleInOnePassage() {
        assertThat(splitter.split("Devolver es gratis.\n\nTienes 30 días.")).containsExactly(
                "Devolver es gratis.\n\nTienes 30 días.");
    }

    @Test
    void splitsALongArticleBetweenParagraphsIntoPassagesOfAFewHundredCharacters() {
        String body = IntStream.range(0, 12)
                .mapToObj(i -> "Párrafo " + i + ". " + "El pedido sale del almacén y llega en dos días. ".repeat(4).strip())
                .collect(Collectors.joining("\n\n"));

        List<String> passages = splitter.split(body);

        assertThat(passages).hasSizeGreaterThan(2);
        assertThat(passages).allSatisfy(passage -> assertThat(passage.length()).isBetween(200, 990));
        assertThat(passages.subList(0, passages.size() - 1))
                .allSatisfy(passage -> assertThat(passage.length()).isGreaterThanOrEqualTo(600));
        for (int i = 0; i < 12; i++) {
            String paragraph = "Párrafo " + i + ".";
            assertThat(passages).as(paragraph).anySatisfy(passage -> assertThat(passage).contains(paragraph));
        }
    }

    @Test
    void repeatsTheSectionHeadingAndLastSentenceWhenASectionContinuesInTheNextPassage() {
        String section = IntStream.range(0, 8)
                .mapToObj(i -> "Frase número " + i + " sobre el reembolso, que tarda unos días laborables en llegar.")
                .collect(Collectors.joining(" "));
        String body = "## Reembolsos\n\n" + section + "\n\n" + section.replace("Frase", "Otra frase");

        List<String> passages = splitter.split(body);

        assertThat(passages).hasSizeGreaterThanOrEqualTo(2);
        assertThat(passages).allSatisfy(passage -> assertThat(passage).startsWith("## Reembolsos"));
        String lastOfFirst = "Frase número 7 sobre el reembolso, que tarda unos días laborables en llegar.";
        assertThat(passages.get(0)).endsWith(lastOfFirst);
        assertThat(passages.get(1)).contains(lastOfFirst);
    }

    @Test
    void cutsAParagraphLongerThanAPassageBetweenSentences() {
        String sentence = "Esta frase explica un detalle de la garantía de los productos electrónicos. ";
        String body = sentence.repeat(40).strip();

        List<String> passages = splitter.split(body);

        assertThat(passages).hasSizeGreaterThan(3);
        assertThat(passages).allSatisfy(passage -> {
            assertThat(passage.length()).isLessThanOrEqualTo(990);
            assertThat(passage).startsWith("Esta frase").endsWith("electrónicos.");
        });
    }

    @Test
    void neverEndsAPassageOnABareHeading() {
        String body = "Intro. " + "x".repeat(700) + "\n\n## Plazos\n\nLos plazos son cortos.";

        List<String> passages = splitter.split(body);

        assertThat(passages).noneSatisfy(passage -> assertThat(passage.strip()).endsWith("## Plazos"));
        assertThat(String.join("\n", passages)).contains("## Plazos\n\nLos plazos son cortos.");
    }

    @Test
    void givesEachSectionItsOwnPassageStartingWithItsHeading() {
        List<String> passages = splitter.split("""
                Contratar es gratis y no corta el suministro.

                ## Qué necesitas
                El DNI y el IBAN.

                ## Cuánto tarda
                Entre 5 y 10 días hábiles.""");

        assertThat(passages).containsExactly("Contratar es gratis y no corta el suministro.",
                "## Qué necesitas\n\nEl DNI y el IBAN.", "## Cuánto tarda\n\nEntre 5 y 10 días hábiles.");
    }
}
