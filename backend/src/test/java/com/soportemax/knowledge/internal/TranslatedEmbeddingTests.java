package com.soportemax.knowledge.internal;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.EmbeddingModels;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.knowledge.internal.TextAnalysis.Language;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An English-only embedding model (the trained all-MiniLM-L6-v2) serving a Spanish help centre with
 * {@code soportemax.knowledge.embedding-language: en}: questions and passages reach it in Apertium's English, so a
 * Spanish question worded with none of the article's words still lands on it by meaning.
 */
class TranslatedEmbeddingTests {

    static final Path MODEL = Path.of(System.getProperty("soportemax.shared", "../shared"), "models",
            "all-minilm-l6-v2-f16.gguf");
    static EmbeddingModel model;
    static Translator translator;

    @BeforeAll
    static void load() throws java.io.IOException {
        assumeTrue(Files.isRegularFile(MODEL), "Skipped: the trained encoder " + MODEL.toAbsolutePath() + " is absent");
        translator = new Translator("apertium");
        assumeTrue(translator.available(), "Skipped: Apertium (Debian's apertium-eng-spa) is not installed");
        model = EmbeddingModels.load(MODEL, new EngineOptions(2, 1, 0, 0));
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
        if (translator != null) translator.close();
    }

    static final PassageText REFUNDS = PassageText.of("", "Devoluciones",
            "Puedes devolver cualquier producto en los 30 días siguientes a la entrega. El reembolso llega a tu tarjeta"
                    + " en cinco días laborables.", Language.ES);
    static final PassageText HOURS = PassageText.of("", "Horario de atención",
            "Nuestro equipo atiende por teléfono de lunes a viernes, de nueve de la mañana a seis de la tarde.",
            Language.ES);
    static final String QUESTION = "q me reintegren el dinero de una compra q no me gusto";

    @Test
    void aSpanishQuestionMeetsTheSpanishPassageItMeansThroughTheirEnglish() {
        SemanticModel.Ready english = new SemanticModel.Ready(model, model, "minilm+en", "", "", Language.EN, translator);
        List<float[]> passages = english.embedPassages(List.of(REFUNDS, HOURS));
        float[] question = english.embedQuery(QUESTION, Language.ES);

        double refunds = cosine(question, passages.get(0));
        double hours = cosine(question, passages.get(1));
        assertThat(refunds).as("the refunds passage, by meaning").isGreaterThan(hours + 0.1);
    }

    @Test
    void readInSpanishTheEnglishModelMissesWhatItsTranslationFinds() {
        SemanticModel.Ready asTyped = new SemanticModel.Ready(model, model, "minilm", "", "", null, translator);
        SemanticModel.Ready english = new SemanticModel.Ready(model, model, "minilm+en", "", "", Language.EN, translator);
        double typedMargin = margin(asTyped);
        double translatedMargin = margin(english);
        assertThat(translatedMargin).as("refunds over hours, translated vs as typed")
                .isGreaterThan(typedMargin);
    }

    private static double margin(SemanticModel.Ready ready) {
        List<float[]> passages = ready.embedPassages(List.of(REFUNDS, HOURS));
        float[] question = ready.embedQuery(QUESTION, Language.ES);
        return cosine(question, passages.get(0)) - cosine(question, passages.get(1));
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
