package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.internal.TextAnalysis.Language;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Apertium's Spanish ↔ English translation as retrieval uses it: the real Debian package, skipped where it is missing. */
class TranslatorTests {

    private Translator translator;

    @BeforeEach
    void apertiumIsInstalled() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/apertium"))
                        && Files.isReadable(Path.of("/usr/share/apertium/modes/spa-eng.mode")),
                "Apertium with its English-Spanish pair (Debian's apertium-eng-spa) is not installed");
        translator = new Translator("apertium");
    }

    @AfterEach
    void stop() {
        if (translator != null) translator.close();
    }

    @Test
    void aSpanishQuestionComesBackInEnglishAndTheNextOnesToo() {
        assertThat(translator.translate("el contador de la luz marca demasiado", Language.ES, Language.EN))
                .hasValueSatisfying(english -> assertThat(english).containsIgnoringCase("counter")
                        .containsIgnoringCase("too much"));
        // one long-lived pipeline answers text after text, each with its own translation (none shifted by one)
        for (int round = 0; round < 5; round++) {
            String i = String.valueOf(round);
            assertThat(translator.translate("me han cobrado dos veces la factura " + i, Language.ES, Language.EN))
                    .hasValueSatisfying(english -> assertThat(english).containsIgnoringCase("twice").endsWith(i));
            assertThat(translator.translate("mi vecino tiene un perro " + i, Language.ES, Language.EN))
                    .hasValueSatisfying(english -> assertThat(english).containsIgnoringCase("dog").endsWith(i));
        }
        assertThat(translator.translate("I have been charged twice for my bill", Language.EN, Language.ES))
                .hasValueSatisfying(spanish -> assertThat(spanish).containsIgnoringCase("factura"));
    }

    @Test
    void charactersOfApertiumsStreamFormatAndLineBreaksArriveAsTyped() {
        Optional<String> english = translator.translate("factura 2024/03 [urgente] <b> a@b.es 50% ^$ \\ fin\nsegunda",
                Language.ES, Language.EN);
        assertThat(english).hasValueSatisfying(text -> assertThat(text)
                .contains("2024/03", "[urgent]", "<b>", "a@b.es", "50%", "^$", "\\").doesNotContain("\n"));
        // and the pipeline still answers afterwards
        assertThat(translator.translate("gracias", Language.ES, Language.EN))
                .hasValueSatisfying(text -> assertThat(text).isEqualToIgnoringCase("thank you"));
    }

    @Test
    void chatSpellingIsWrittenOutBeforeTranslationAndTheRestKeptAsTyped() {
        assertThat(TextAnalysis.spelledOut("q podeis hacer xq no me llega la facturacion, tb os escribi", Language.ES))
                .isEqualTo("que podéis hacer porque no me llega la facturación, tambien os escribi");
        assertThat(TextAnalysis.spelledOut("Pls tell me if u can", Language.EN)).isEqualTo("please tell me if you can");
        assertThat(TextAnalysis.spelledOut("Pais, pan y Cobrais", Language.ES)).as("short words and capitals as typed")
                .isEqualTo("Pais, pan y Cobrais");
    }

    @Test
    void textWithoutWordsAndTextInTheSameLanguageAreNotSentToApertium() {
        assertThat(translator.translate("?? !!", Language.ES, Language.EN)).hasValue("?? !!");
        assertThat(translator.translate("hola", Language.ES, Language.ES)).isEmpty();
        assertThat(Translator.NONE.translate("hola", Language.ES, Language.EN)).isEmpty();
        assertThat(new Translator("/nonexistent/apertium").translate("hola", Language.ES, Language.EN)).isEmpty();
    }
}
