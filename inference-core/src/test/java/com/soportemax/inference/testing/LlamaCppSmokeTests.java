package com.soportemax.inference.testing;

import com.soportemax.inference.model.ModelShape;
import com.soportemax.inference.model.RandomModel;
import com.soportemax.inference.tensor.GgmlType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LlamaCppSmokeTests {

    @TempDir
    static Path dir;

    @Test
    void llamaCppRunsAGeneratedModel() throws Exception {
        TestVocabulary vocab = new TestVocabulary(500);
        Path file = dir.resolve("tiny.gguf");
        RandomModel.write(ModelShape.TINY, GgmlType.Q8_0, vocab.metadata("llama-bpe"), 1, vocab::isSilent, file);
        String text = LlamaCpp.greedyText(file, new int[]{300, 301, 302}, 8);
        System.out.println("llama.cpp said: " + text);
        assertThat(vocab.parse(text)).hasSize(8);
    }
}
