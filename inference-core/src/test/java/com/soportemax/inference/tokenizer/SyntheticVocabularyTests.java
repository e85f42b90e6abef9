package com.soportemax.inference.tokenizer;

import com.soportemax.inference.synthetic.SyntheticVocabulary;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyntheticVocabularyTests {

    @Test
    void qwenVocabularyHasTheRealSizeAndSpecialTokenIds() throws Exception {
        long started = System.nanoTime();
        Map<String, Object> metadata = SyntheticVocabulary.forShape("qwen2.5-0.5b");
        Tokenizer tokenizer = Tokenizer.fromMetadata(metadata);
        System.out.printf("qwen2.5-0.5b vocabulary made and loaded in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(tokenizer.vocabularySize()).isEqualTo(151936);
        assertThat(tokenizer.specialToken("<|endoftext|>")).hasValue(151643);
        assertThat(tokenizer.specialToken("<|im_start|>")).hasValue(151644);
        assertThat(tokenizer.specialToken("<|im_end|>")).hasValue(151645);
        assertThat(tokenizer.specialToken("<tool_call>")).hasValue(151657);
        assertThat(tokenizer.specialToken("<|file_sep|>")).hasValue(151664);
        assertThat(tokenizer.eosToken()).isEqualTo(151645);
        assertThat(tokenizer.addBos()).isFalse();
        assertThat(metadata.get("tokenizer.ggml.pre")).isEqualTo("qwen2");
    }

    @Test
    void llamaVocabularyHasTheRealSizeAndSpecialTokenIds() throws Exception {
        Tokenizer tokenizer = Tokenizer.fromMetadata(SyntheticVocabulary.forShape("llama-3.2-1b"));
        assertThat(tokenizer.vocabularySize()).isEqualTo(128256);
        assertThat(tokenizer.specialToken("<|begin_of_text|>")).hasValue(128000);
        assertThat(tokenizer.specialToken("<|end_of_text|>")).hasValue(128001);
        assertThat(tokenizer.specialToken("<|start_header_id|>")).hasValue(128006);
        assertThat(tokenizer.specialToken("<|end_header_id|>")).hasValue(128007);
        assertThat(tokenizer.specialToken("<|eom_id|>")).hasValue(128008);
        assertThat(tokenizer.specialToken("<|eot_id|>")).hasValue(128009);
        assertThat(tokenizer.specialToken("<|reserved_special_token_247|>")).hasValue(128255);
        assertThat(tokenizer.bosToken()).isEqualTo(128000);
        assertThat(tokenizer.addBos()).isTrue();
        for (int id : new int[]{128001, 128008, 128009}) assertThat(tokenizer.isEndOfGeneration(id)).isTrue();
    }

    @Test
    void oneTokenizerServesManyThreadsAtOnce() throws Exception {
        java.util.List<String> texts = ParitySamples.strings(300, 11);
        Tokenizer alone = Tokenizer.fromMetadata(SyntheticVocabulary.forShape("tiny"));
        java.util.List<int[]> sequential = texts.stream().map(alone::encode).toList();
        Tokenizer tokenizer = Tokenizer.fromMetadata(SyntheticVocabulary.forShape("tiny"));
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<java.util.List<int[]>>>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> texts.stream().map(tokenizer::encode).toList()));
            }
            for (var future : futures) {
                java.util.List<int[]> concurrent = future.get();
                for (int i = 0; i < texts.size(); i++) assertThat(concurrent.get(i)).containsExactly(sequential.get(i));
            }
        }
    }

    @Test
    void tinyVocabularyIsSmall() throws Exception {
        Tokenizer tokenizer = Tokenizer.fromMetadata(SyntheticVocabulary.forShape("tiny"));
        assertThat(tokenizer.vocabularySize()).isBetween(2000, 8000);
        assertThat(tokenizer.specialToken("<|im_end|>")).isPresent();
    }

    @Test
    void learntMergesMakeCorpusWordsShort() throws Exception {
        Tokenizer tokenizer = Tokenizer.fromMetadata(SyntheticVocabulary.forShape("qwen2.5-0.5b"));
        String spanish = "¿Podrías indicarme tu número de cliente y la fecha de la compra, por favor?";
        String english = "Could you tell me your customer number and the date of the purchase, please?";
        assertThat(tokenizer.encode(spanish).length).isLessThan(spanish.length() / 3);
        assertThat(tokenizer.encode(english).length).isLessThan(english.length() / 3);
        assertThat(tokenizer.encode(" contraseña")).hasSizeLessThanOrEqualTo(3);
    }

    @Test
    void sameSeedSameVocabularyOtherSeedOtherVocabulary() {
        String[] a = (String[]) SyntheticVocabulary.gpt2Style(3000, "qwen2", 1).get("tokenizer.ggml.tokens");
        String[] b = (String[]) SyntheticVocabulary.gpt2Style(3000, "qwen2", 1).get("tokenizer.ggml.tokens");
        String[] c = (String[]) SyntheticVocabulary.gpt2Style(3000, "qwen2", 2).get("tokenizer.ggml.tokens");
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        assertThat(a).hasSize(3000).doesNotHaveDuplicates();
    }

    @Test
    void sentencePieceVocabularyHasByteFallbackAndScores() throws Exception {
        Map<String, Object> metadata = SyntheticVocabulary.sentencePiece(2000, 3);
        Tokenizer tokenizer = Tokenizer.fromMetadata(metadata);
        assertThat(tokenizer.model()).isEqualTo("llama");
        assertThat(tokenizer.vocabularySize()).isEqualTo(2000);
        assertThat(((float[]) metadata.get("tokenizer.ggml.scores"))).hasSize(2000);
        assertThat(tokenizer.decode(tokenizer.encode("Hola 世界 😀"))).isEqualTo(" Hola 世界 😀");
    }
}
