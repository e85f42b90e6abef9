package com.soportemax.inference.model;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.synthetic.RandomModel;
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
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KvSequenceTests {

    static final TestVocabulary VOCAB = new TestVocabulary(300);
    static KernelPool pool;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        pool = KernelPools.create(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    private Path model() throws IOException {
        Path file = dir.resolve("llama.gguf");
        RandomModel.write(LlamaCppParityTests.LLAMA.withVocabularySize(VOCAB.size()), GgmlType.Q8_0,
                VOCAB.metadata("llama-bpe"), 5, VOCAB::isSilent, file);
        return file;
    }

    @Test
    void memoryGrowsWithTheTokensNotWithTheContextWindow() throws IOException {
        try (GgufFile gguf = GgufFile.open(model())) {
            Transformer model = Transformer.load(gguf);
            Transformer.State state = model.newState(100_000);
            int[] prompt = new SplittableRandom(1).ints(20, 256, 556).toArray();
            model.forward(state, prompt, 0, 20, pool);
            assertThat(state.sequence().pageCount()).isEqualTo(2);
            state.rewind(3);
            assertThat(state.sequence().pageCount()).isEqualTo(1);
        }
    }

    @Test
    void aForkSharesThePrefixAndCopiesAPageBeforeWritingIt() throws IOException {
        try (GgufFile gguf = GgufFile.open(model())) {
            Transformer model = Transformer.load(gguf);
            KvMemory memory = new KvMemory(model.config());
            Transformer.Workspace ws = model.newWorkspace(32, 2);
            int[] tokens = new SplittableRandom(2).ints(40, 256, 556).toArray();
            KvSequence whole = KvSequence.create(memory, 64);
            model.forward(List.of(new Transformer.Step(whole, tokens, 0, 20, true, false)), ws, pool);
            // forked at 20 (inside the second page): both continue differently from the shared prefix
            KvSequence fork = whole.fork(20, 64);
            assertThat(memory.pagesInUse()).isEqualTo(2);
            model.forward(List.of(new Transformer.Step(whole, tokens, 20, 4, true, true),
                    new Transformer.Step(fork, tokens, 30, 4, true, true)), ws, pool);
            assertThat(memory.pagesInUse()).as("the shared second page was copied once").isEqualTo(3);
            float[] wholeLogits = java.util.Arrays.copyOfRange(ws.logits(), 0, model.config().vocabularySize());

            // the same continuation computed without any sharing
            KvSequence alone = KvSequence.create(new KvMemory(model.config()), 64);
            model.forward(List.of(new Transformer.Step(alone, tokens, 0, 20, true, false)), ws, pool);
            model.forward(List.of(new Transformer.Step(alone, tokens, 20, 4, true, true)), ws, pool);
            assertThat(java.util.Arrays.copyOfRange(ws.logits(), 0, model.config().vocabularySize()))
                    .as("the fork's writes did not leak into the original").containsExactly(wholeLogits);

            fork.release();
            whole.release();
            assertThat(memory.pagesInUse()).isZero();
            assertThatThrownBy(() -> fork.fork(0, 1)).isInstanceOf(IllegalStateException.class);
        }
    }
}
