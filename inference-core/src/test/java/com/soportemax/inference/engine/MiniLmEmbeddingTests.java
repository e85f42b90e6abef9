package com.soportemax.inference.engine;

import com.soportemax.inference.testing.LlamaCppEmbeddings;
import com.soportemax.inference.testing.SharedData;
import de.kherud.llama.args.PoolingType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The trained all-MiniLM-L6-v2 encoder ({@code ../shared/models/all-minilm-l6-v2-f16.gguf}) gives llama.cpp's
 * sentence embeddings, and those embeddings do what retrieval needs of them: paraphrases close, unrelated far.
 */
class MiniLmEmbeddingTests {

    static final List<String> SENTENCES = List.of(
            "How do I reset my password?",
            "I forgot my password and need to change it.",
            "The weather in Madrid is sunny today.",
            "Where is my order? It was supposed to arrive on Monday.",
            "¿Dónde está mi pedido? Debía llegar el lunes.",
            "Refunds are issued to the original payment method within 5-10 business days.",
            "hi",
            "Can I return a gift card I bought by mistake, and how long does the refund take? I paid with PayPal "
                    + "last week and the order number is 12345-XYZ.");

    private static Path file;
    private static EmbeddingModel model;

    @BeforeAll
    static void load() throws Exception {
        file = SharedData.require("models/all-minilm-l6-v2-f16.gguf");
        model = EmbeddingModels.load(file, new EngineOptions(2, 1, 0, 0));
    }

    @AfterAll
    static void close() {
        if (model != null) model.close();
    }

    @Test
    void embedsSentencesAsLlamaCppDoes() {
        double worst = 1;
        for (String sentence : SENTENCES) {
            float[] ours = model.embed(sentence);
            float[] reference = LlamaCppEmbeddings.embed(file, PoolingType.MEAN, sentence);
            double cosine = LlamaCppEmbeddings.cosine(ours, reference);
            System.out.printf("MiniLM cosine with llama.cpp %.7f  %s%n", cosine, sentence);
            worst = Math.min(worst, cosine);
            assertThat(cosine).as(sentence).isGreaterThanOrEqualTo(0.999);
        }
        System.out.printf("MiniLM worst cosine with llama.cpp over %d sentences: %.7f%n", SENTENCES.size(), worst);
    }

    @Test
    void scoresAParaphraseFarAboveAnUnrelatedSentence() {
        float[] question = model.embed("How do I reset my password?");
        double paraphrase = dot(question, model.embed("I forgot my password and need to change it."));
        double unrelated = dot(question, model.embed("The weather in Madrid is sunny today."));
        System.out.printf("MiniLM paraphrase %.4f, unrelated %.4f%n", paraphrase, unrelated);
        assertThat(paraphrase).isCloseTo(0.83, within(0.03));
        assertThat(unrelated).isLessThan(0.2);
        assertThat(paraphrase - unrelated).isGreaterThan(0.5);
    }

    @Test
    void returnsUnitVectorsOfTheModelsWidth() {
        float[] v = model.embed("Where is my order?");
        assertThat(model.dimension()).isEqualTo(384);
        assertThat(v).hasSize(384);
        assertThat(dot(v, v)).isCloseTo(1.0, within(1e-5));
        assertThat(model.info().architecture()).isEqualTo("bert");
    }

    @Test
    void embedsABatchAsItEmbedsEachText() {
        List<float[]> batch = model.embedAll(SENTENCES);
        assertThat(batch).hasSameSizeAs(SENTENCES);
        for (int i = 0; i < SENTENCES.size(); i++) {
            assertThat(dot(batch.get(i), model.embed(SENTENCES.get(i)))).as(SENTENCES.get(i))
                    .isGreaterThan(0.99999);
        }
    }

    @Test
    void cutsTextLongerThanTheContextToItsFirstTokens() {
        String longText = "password ".repeat(2000);
        float[] v = model.embed(longText);
        assertThat(dot(v, v)).isCloseTo(1.0, within(1e-5));
        assertThat(dot(v, model.embed("password ".repeat(600)))).isGreaterThan(0.99999);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (double) a[i] * b[i];
        return s;
    }
}
