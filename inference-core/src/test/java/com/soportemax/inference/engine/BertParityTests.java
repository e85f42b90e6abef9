package com.soportemax.inference.engine;

import com.soportemax.inference.synthetic.RandomEncoder;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.testing.LlamaCppEmbeddings;
import de.kherud.llama.args.PoolingType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random-weight BERT encoders written by the synthetic-model factory, in each weight type, give llama.cpp's
 * sentence embeddings (de.kherud:llama), from llama.cpp's own tokens.
 */
class BertParityTests {

    private static final List<String> TEXTS = List.of(
            "¿Dónde está mi pedido?",
            "How do I reset my password?",
            "Quiero devolver un producto que llegó roto, ¿cómo lo hago?",
            "El envío cuesta 4,95 € y tarda de 2 a 3 días.",
            "hola",
            "zxqv blorft wibble",
            "Mi factura (nº 2024-0042) tiene un error: ¡me cobraron dos veces!");

    @TempDir
    static Path dir;

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"minilm-l6, F32", "minilm-l6, F16", "minilm-l6, Q8_0", "tiny-bert-cls, F32", "tiny-bert-cls, Q8_0"})
    void embedsLikeLlamaCpp(String shapeName, GgmlType type) throws Exception {
        RandomEncoder.Shape shape = RandomEncoder.Shape.named(shapeName);
        Path file = dir.resolve(shapeName + "-" + type + ".gguf");
        RandomEncoder.write(shape, type, 42, file);
        PoolingType pooling = shape.pooling() == 2 ? PoolingType.CLS : PoolingType.MEAN;
        try (EmbeddingModel model = EmbeddingModels.load(file, new EngineOptions(2, 1, 0, 0))) {
            List<float[]> ours = new ArrayList<>();
            double worst = 1;
            for (String text : TEXTS) {
                int[] tokens = ((LocalEmbeddingModel) model).tokens(text);
                // llama.cpp's encode leaves out the [CLS] and [SEP] its embed puts around the text, as ours does
                assertThat(tokens[0]).isEqualTo(101);
                assertThat(tokens[tokens.length - 1]).isEqualTo(102);
                assertThat(java.util.Arrays.copyOfRange(tokens, 1, tokens.length - 1)).as("tokens of %s", text)
                        .containsExactly(LlamaCppEmbeddings.tokens(file, pooling, text));
                float[] v = model.embed(text);
                double cosine = LlamaCppEmbeddings.cosine(v, LlamaCppEmbeddings.embed(file, pooling, text));
                worst = Math.min(worst, cosine);
                System.out.printf("random BERT %s %s: cosine with llama.cpp %.7f  %s%n", shapeName, type, cosine, text);
                ours.add(v);
            }
            for (int i = 0; i < TEXTS.size(); i++) {
                assertThat(LlamaCppEmbeddings.cosine(ours.get(i), LlamaCppEmbeddings.embed(file, pooling, TEXTS.get(i))))
                        .as("%s %s: %s", shapeName, type, TEXTS.get(i)).isGreaterThanOrEqualTo(0.999);
            }
            double closestPair = -1;
            for (int i = 0; i < ours.size(); i++) {
                for (int j = i + 1; j < ours.size(); j++) {
                    closestPair = Math.max(closestPair, LlamaCppEmbeddings.cosine(ours.get(i), ours.get(j)));
                }
            }
            System.out.printf("random BERT %s %s: worst cosine with llama.cpp %.7f; closest two different texts %.4f%n",
                    shapeName, type, worst, closestPair);
            // the bar means something only if different texts are much further apart than 0.999
            assertThat(closestPair).as("different texts give different vectors").isLessThan(0.98);
        }
    }
}
