package com.soportemax.inference.model;

import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.synthetic.WeightEncoder;
import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.GgufWriter;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.testing.TestVocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TransformerTests {

    static final TestVocabulary VOCAB = new TestVocabulary(300);
    static final ModelShape QWEN3 = new ModelShape("test-qwen3", "qwen3", VOCAB.size(), 256, 2, 4, 2, 128, 512, 1024,
            1_000_000f, 1e-6f, true, false, true, false);

    @TempDir
    Path dir;
    static KernelPool pool;

    @BeforeAll
    static void start() {
        pool = KernelPools.create(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    private Path write(ModelShape shape, GgmlType type, String name) throws IOException {
        Path file = dir.resolve(name);
        RandomModel.write(shape, type, VOCAB.metadata("qwen2"), 5, VOCAB::isSilent, file);
        return file;
    }

    @Test
    void qwen3UsesItsPerHeadQueryAndKeyNorms() throws IOException {
        Path file = write(QWEN3, GgmlType.Q8_0, "qwen3.gguf");
        int[] prompt = {300, 301, 302, 303, 304, 305, 306, 307, 308, 309};
        int[] first;
        try (GgufFile gguf = GgufFile.open(file)) {
            Transformer model = Transformer.load(gguf);
            assertThat(model.config().headDim()).as("key_length overrides width / heads").isEqualTo(128);
            assertThat(model.config().neoxRope()).isTrue();
            first = LlamaCppParityTests.greedy(model, prompt, 8, pool);
            assertThat(Arrays.stream(first).noneMatch(VOCAB::isSilent)).isTrue();
        }
        // the same weights with larger query norms attend differently, so the continuation changes
        long[] offsets = new long[2];
        try (GgufFile gguf = GgufFile.open(file)) {
            for (int l = 0; l < 2; l++) offsets[l] = gguf.requireTensor("blk." + l + ".attn_q_norm.weight").fileOffset();
        }
        float[] big = new float[128];
        Arrays.fill(big, 6f);
        try (java.io.RandomAccessFile raf = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            for (long offset : offsets) {
                raf.seek(offset);
                raf.write(WeightEncoder.encode(GgmlType.F32, big));
            }
        }
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThat(LlamaCppParityTests.greedy(Transformer.load(gguf), prompt, 8, pool)).isNotEqualTo(first);
        }
    }

    @Test
    void chunkedPrefillAgreesWithOneTokenAtATime() throws IOException {
        Path file = write(LlamaCppParityTests.LLAMA.withVocabularySize(VOCAB.size()), GgmlType.Q8_0, "llama.gguf");
        try (GgufFile gguf = GgufFile.open(file)) {
            Transformer model = Transformer.load(gguf);
            int[] prompt = new java.util.SplittableRandom(3).ints(21, 256, 556).toArray();
            float[] chunked = model.forward(model.newState(21), prompt, 0, 21, pool).clone();
            Transformer.State state = model.newState(21);
            float[] single = null;
            for (int i = 0; i < 21; i++) single = model.forward(state, prompt, i, 1, pool);
            // equal up to rounding: summation order differs between batched and single-vector kernels, and llama.cpp's
            // activation rounding turns last-bit differences into occasional one-step changes
            float scale = 0, worst = 0;
            for (int i = 0; i < chunked.length; i++) {
                scale = Math.max(scale, Math.abs(single[i]));
                worst = Math.max(worst, Math.abs(chunked[i] - single[i]));
            }
            assertThat(worst).isLessThan(0.05f * scale);
        }
    }

    @Test
    void missingMetadataAndTensorsAreNamed() throws IOException {
        Path noBlocks = dir.resolve("no-blocks.gguf");
        new GgufWriter().putString("general.architecture", "llama").put("llama.embedding_length", 256)
                .put("llama.attention.head_count", 4).put("llama.feed_forward_length", 512)
                .put("llama.context_length", 128).write(noBlocks);
        try (GgufFile gguf = GgufFile.open(noBlocks)) {
            assertThatThrownBy(() -> Transformer.load(gguf)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("llama.block_count");
        }
        Path unknown = dir.resolve("mamba.gguf");
        new GgufWriter().putString("general.architecture", "mamba").write(unknown);
        try (GgufFile gguf = GgufFile.open(unknown)) {
            assertThatThrownBy(() -> Transformer.load(gguf)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("unsupported architecture 'mamba'");
        }
    }

    @Test
    void aTensorOfTheWrongShapeIsNamed() throws IOException {
        ModelShape shape = LlamaCppParityTests.LLAMA.withVocabularySize(VOCAB.size());
        GgufWriter w = RandomModel.writer(shape, GgmlType.F32, VOCAB.metadata("llama-bpe"), 1, VOCAB::isSilent);
        // metadata claims a wider feed-forward than the tensors have
        w.put("llama.feed_forward_length", 1024);
        Path file = dir.resolve("wrong.gguf");
        w.write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            assertThatThrownBy(() -> Transformer.load(gguf)).isInstanceOf(ModelFormatException.class)
                    .hasMessageContaining("blk.0.ffn_gate.weight").hasMessageContaining("shape");
        }
    }

}
