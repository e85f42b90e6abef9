package com.soportemax.inference.tokenizer;

import com.soportemax.inference.synthetic.SyntheticVocabulary;
import com.soportemax.inference.chat.ChatTemplate;
import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.GgufWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A tokenizer read back from a GGUF file works as the one built from the metadata it was written from. */
class GgufTokenizerTests {

    @TempDir
    Path dir;

    private Map<String, Object> roundTrip(Map<String, Object> metadata) throws Exception {
        Path file = dir.resolve("vocabulary.gguf");
        new GgufWriter().putAll(metadata).write(file);
        try (GgufFile gguf = GgufFile.open(file)) {
            return Map.copyOf(gguf.metadata());
        }
    }

    @Test
    void byteLevelTokenizerSurvivesTheFileFormat() throws Exception {
        Map<String, Object> written = SyntheticVocabulary.forShape("tiny");
        Tokenizer expected = Tokenizer.fromMetadata(written);
        Map<String, Object> read = roundTrip(written);
        Tokenizer actual = Tokenizer.fromMetadata(read);
        for (String text : ParitySamples.FIXED) assertThat(actual.encode(text)).containsExactly(expected.encode(text));
        assertThat(actual.eosToken()).isEqualTo(expected.eosToken());
        assertThat(actual.addBos()).isEqualTo(expected.addBos());
        assertThat(ChatTemplate.fromMetadata(read, actual).family()).isEqualTo("smollm2");
    }

    @Test
    void sentencePieceTokenizerSurvivesTheFileFormat() throws Exception {
        Map<String, Object> written = SyntheticVocabulary.sentencePiece(1000, 4);
        Tokenizer expected = Tokenizer.fromMetadata(written);
        Tokenizer actual = Tokenizer.fromMetadata(roundTrip(written));
        for (String text : ParitySamples.FIXED) assertThat(actual.encode(text)).containsExactly(expected.encode(text));
        assertThat(actual.bosToken()).isEqualTo(1);
    }
}
