package com.soportemax.inference.engine;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.GgufWriter;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.synthetic.SyntheticVocabulary;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.tensor.WeightMatrices;
import com.soportemax.inference.tensor.WeightMatrix;
import com.soportemax.inference.testing.LlamaCppEmbeddings;
import com.soportemax.inference.testing.NativeLlamaCpp;
import com.soportemax.inference.testing.SharedData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decoder embedding models (Qwen3-Embedding style: qwen3 architecture, pooling type "last", EOS appended): the
 * embedding is the last token's hidden state after the output norm.
 */
class DecoderEmbeddingTests {

    /** Qwen3-Embedding's layout at a small size: per-head Q/K norms, tied output, NeoX RoPE. */
    private static final ModelShape QWEN3_SMALL = new ModelShape("qwen3-embedding-small", "qwen3", 6000, 256, 2, 4,
            2, 64, 512, 4096, 1_000_000f, 1e-6f, true, false, true, false);

    private static final List<String> TEXTS = List.of("¿Dónde está mi pedido?", "How do I reset my password?",
            "Quiero devolver un producto que llegó roto.", "hola");

    @TempDir
    static Path dir;

    static Path write(GgmlType type, boolean embedding) throws Exception {
        Map<String, Object> vocabulary = SyntheticVocabulary.gpt2Style(6000, "qwen2", 11);
        GgufWriter w = RandomModel.writer(QWEN3_SMALL, type, vocabulary, 5, id -> false);
        if (embedding) {
            w.put("qwen3.pooling_type", 3);
            w.put("tokenizer.ggml.add_eos_token", true);
        }
        Path file = dir.resolve("qwen3-" + type + (embedding ? "-embedding" : "-chat") + ".gguf");
        w.write(file);
        return file;
    }

    @Test
    void refusesAQwen3ChatModelThatHasNoPooling() throws Exception {
        Path chat = write(GgmlType.F32, false);
        assertThatThrownBy(() -> EmbeddingModels.load(chat, EngineOptions.DEFAULT))
                .isInstanceOf(ModelFileException.class)
                .hasMessageContaining("no qwen3.pooling_type");
    }

    @Test
    void embedsTextAsTheHiddenStateThatPredictsTheTokenAfterIt() throws Exception {
        Path file = write(GgmlType.F32, true);
        try (EmbeddingModel model = EmbeddingModels.load(file, new EngineOptions(2, 1, 0, 0));
             GgufFile gguf = GgufFile.open(file);
             KernelPool pool = KernelPools.create(2)) {
            assertThat(model.dimension()).isEqualTo(256);
            assertThat(model.info().architecture()).isEqualTo("qwen3");
            Transformer decoder = Transformer.load(gguf);
            var embeddings = gguf.requireTensor("token_embd.weight");
            WeightMatrix output = WeightMatrices.of(embeddings.type(), gguf.data(embeddings), 6000, 256);
            for (String text : TEXTS) {
                int[] tokens = ((LocalEmbeddingModel) model).tokens(text);
                assertThat(tokens[tokens.length - 1]).as("ends with EOS").isEqualTo(decoder.config().vocabularySize() > 0
                        ? tokenizerEos(gguf) : -1);
                float[] logits = decoder.forward(decoder.newState(tokens.length), tokens, 0, tokens.length, pool).clone();
                float[] fromEmbedding = new float[6000];
                output.multiply(model.embed(text), fromEmbedding, 1, pool);
                // tied output: logits = token_embd * hidden, so the embedding points where the logits do
                assertThat(LlamaCppEmbeddings.cosine(fromEmbedding, logits)).as(text).isGreaterThan(0.99999);
            }
        }
    }

    private static int tokenizerEos(GgufFile gguf) throws Exception {
        return gguf.requireInt("tokenizer.ggml.eos_token_id");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"F32", "Q8_0"})
    void embedsLikeNativeLlamaCpp(GgmlType type) throws Exception {
        Path tool = NativeLlamaCpp.requireEmbeddingTool();
        Path file = write(type, true);
        List<float[]> reference = NativeLlamaCpp.embed(tool, file, "last", TEXTS);
        try (EmbeddingModel model = EmbeddingModels.load(file, new EngineOptions(2, 1, 0, 0))) {
            for (int i = 0; i < TEXTS.size(); i++) {
                double cosine = LlamaCppEmbeddings.cosine(model.embed(TEXTS.get(i)), reference.get(i));
                System.out.printf("qwen3 last-token %s: cosine with native llama.cpp %.7f  %s%n", type, cosine, TEXTS.get(i));
                assertThat(cosine).as(TEXTS.get(i)).isGreaterThanOrEqualTo(0.999);
            }
        }
    }

    @Test
    void miniLmEmbedsLikeNativeLlamaCpp() throws Exception {
        Path tool = NativeLlamaCpp.requireEmbeddingTool();
        Path file = SharedData.require("models/all-minilm-l6-v2-f16.gguf");
        List<float[]> reference = NativeLlamaCpp.embed(tool, file, "mean", MiniLmEmbeddingTests.SENTENCES);
        try (EmbeddingModel model = EmbeddingModels.load(file, new EngineOptions(2, 1, 0, 0))) {
            for (int i = 0; i < reference.size(); i++) {
                double cosine = LlamaCppEmbeddings.cosine(model.embed(MiniLmEmbeddingTests.SENTENCES.get(i)),
                        reference.get(i));
                System.out.printf("MiniLM cosine with native llama.cpp %.7f  %s%n", cosine,
                        MiniLmEmbeddingTests.SENTENCES.get(i));
                assertThat(cosine).isGreaterThanOrEqualTo(0.999);
            }
        }
    }
}
