package com.soportemax.inference.engine;

import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomEncoder;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.synthetic.SyntheticVocabulary;
import com.soportemax.inference.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Loading embedding models: what is accepted, what is refused and how the refusal reads. */
class EmbeddingModelsTests {

    @TempDir
    Path dir;

    private Path tinyEncoder() throws Exception {
        Path file = dir.resolve("tiny-bert.gguf");
        RandomEncoder.write(RandomEncoder.Shape.TINY_CLS, GgmlType.F32, 3, file);
        return file;
    }

    @Test
    void refusesAChatModelNamingTheFileAndWhatIsSupported() throws Exception {
        Path chat = dir.resolve("chat.gguf");
        RandomModel.write(ModelShape.TINY, GgmlType.F32, SyntheticVocabulary.forShape("tiny"), 1, id -> false, chat);
        assertThatThrownBy(() -> EmbeddingModels.load(chat, EngineOptions.DEFAULT))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("chat.gguf")
                .hasMessageContaining("'llama' is not an embedding model")
                .hasMessageContaining("bert");
    }

    @Test
    void refusesATruncatedEncoderNamingTheMissingData() throws Exception {
        Path whole = tinyEncoder();
        Path truncated = dir.resolve("truncated.gguf");
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length / 2));
        assertThatThrownBy(() -> EmbeddingModels.load(truncated, EngineOptions.DEFAULT))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void describesTheLoadedEncoder() throws Exception {
        try (EmbeddingModel model = EmbeddingModels.load(tinyEncoder(), new EngineOptions(1, 1, 0, 0))) {
            assertThat(model.dimension()).isEqualTo(128);
            assertThat(model.info().architecture()).isEqualTo("bert");
            assertThat(model.info().contextLength()).isEqualTo(128);
            assertThat(model.info().quantization()).isEqualTo("F32");
        }
    }

    @Test
    void cutsTextsToTheContextLengthAsked() throws Exception {
        try (EmbeddingModel model = EmbeddingModels.load(tinyEncoder(), new EngineOptions(1, 1, 0, 16))) {
            int[] tokens = ((LocalEmbeddingModel) model).tokens("hola ".repeat(100));
            assertThat(tokens).hasSize(16);
            assertThat(tokens[0]).isEqualTo(101);
            assertThat(tokens[15]).isEqualTo(102);
            float[] v = model.embed("hola ".repeat(100));
            double norm = 0;
            for (float x : v) norm += x * x;
            assertThat(norm).isCloseTo(1, within(1e-5));
        }
    }

    @Test
    void embedsAnEmptyTextAsItsSpecialTokensAlone() throws Exception {
        try (EmbeddingModel model = EmbeddingModels.load(tinyEncoder(), new EngineOptions(1, 1, 0, 0))) {
            assertThat(((LocalEmbeddingModel) model).tokens("")).containsExactly(101, 102);
            assertThat(model.embed("")).hasSize(128);
        }
    }

    @Test
    void refusesWorkAfterClose() throws Exception {
        EmbeddingModel model = EmbeddingModels.load(tinyEncoder(), new EngineOptions(1, 1, 0, 0));
        model.close();
        assertThatThrownBy(() -> model.embedAll(List.of("hola")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }
}
