package com.soportemax.inference.engine;

import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.synthetic.SyntheticVocabulary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A generation decoded in a batch with others gives exactly the tokens it gives alone. */
class BatchingTests {

    @TempDir
    static Path dir;

    /** Prompts of different lengths (the long ones prefilled in several chunks while others decode). */
    static final List<String> PROMPTS = List.of(
            "Hola",
            "¿Dónde está mi pedido número 12345? Lo compré la semana pasada y todavía no ha llegado a mi casa.",
            "Quiero devolver un producto",
            "Necesito una factura a nombre de mi empresa, con el número de identificación fiscal correcto, por favor.",
            "Buenos días",
            "¿Cuánto tarda el envío a Canarias?");

    /** Different settings per sequence: greedy and sampled (own seeds), different lengths, a stop string. */
    static List<GenerationRequest> requests(List<String> prompts) {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            SamplingSettings sampling = i % 2 == 0 ? SamplingSettings.GREEDY
                    : new SamplingSettings(4, 0, 0.95, 0, 1.1, 64, 1000 + i);
            List<String> stops = i == 3 ? List.of("e ") : List.of();
            requests.add(new GenerationRequest(Prompt.raw(prompts.get(i)), sampling, 12 + 5 * i, stops,
                    Duration.ofMinutes(2)));
        }
        return requests;
    }

    static List<List<Integer>> alone(LanguageModel model, List<GenerationRequest> requests) throws Exception {
        List<List<Integer>> out = new ArrayList<>();
        for (GenerationRequest r : requests) out.add(ids(model.generate(r, TokenListener.NONE).get(2, TimeUnit.MINUTES)));
        return out;
    }

    static List<List<Integer>> together(LanguageModel model, List<GenerationRequest> requests) throws Exception {
        List<CompletableFuture<Completion>> futures = new ArrayList<>();
        for (GenerationRequest r : requests) futures.add(model.generate(r, TokenListener.NONE));
        List<List<Integer>> out = new ArrayList<>();
        for (CompletableFuture<Completion> f : futures) out.add(ids(f.get(2, TimeUnit.MINUTES)));
        return out;
    }

    static List<Integer> ids(Completion c) {
        return c.tokens().stream().map(GeneratedToken::id).toList();
    }

    static void assertBatchedEqualsAlone(Path file, List<String> prompts) throws Exception {
        EngineOptions options = new EngineOptions(2, 4, 16, 512).withPrefixCache(0);
        try (LanguageModel model = LanguageModels.load(file, options)) {
            List<GenerationRequest> requests = requests(prompts);
            List<List<Integer>> alone = alone(model, requests);
            List<List<Integer>> together = together(model, requests);
            assertThat(together).isEqualTo(alone);
            assertThat(((LocalLanguageModel) model).scheduler().largestBatch())
                    .as("sequences that shared a forward pass").isEqualTo(4);
            assertThat(alone.stream().mapToInt(List::size).sum()).as("tokens generated").isGreaterThan(30);
        }
    }

    @ParameterizedTest
    @EnumSource(value = GgmlType.class, names = {"F32", "F16", "Q8_0", "Q4_0", "Q4_K"})
    void aSequenceDecodedInABatchGivesTheTokensItGivesAlone(GgmlType type) throws Exception {
        Path file = dir.resolve("tiny-" + type + ".gguf");
        RandomModel.write(ModelShape.TINY, type, SyntheticVocabulary.forShape("tiny"), 3, id -> false, file);
        assertBatchedEqualsAlone(file, PROMPTS);
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tinystories-656k-f32.gguf", "tinystories-656k-q8_0.gguf"})
    void theTrainedTinyStoriesModelGivesTheSameStoriesInABatch(String name) throws Exception {
        String shared = System.getProperty("soportemax.shared");
        Path file = shared == null ? null : Path.of(shared, "models", name);
        Assumptions.assumeTrue(file != null && Files.isRegularFile(file),
                "needs ../shared/models/" + name + " (the trained TinyStories model); not found, skipping");
        assertBatchedEqualsAlone(file, List.of("Once upon a time", "Tom had a red ball. One day",
                "The little cat was sad because", "Lily and her mom went to the park to play on the swings. They",
                "Once upon a time, there was a big dog", "Ben liked to eat apples"));
    }

    @Test
    void aListenerThatBlocksHoldsUpOnlyItsOwnGeneration() throws Exception {
        Path file = dir.resolve("tiny-blocking.gguf");
        RandomModel.write(ModelShape.TINY, GgmlType.Q8_0, SyntheticVocabulary.forShape("tiny"), 3, id -> false, file);
        try (LanguageModel model = LanguageModels.load(file, new EngineOptions(2, 4, 16, 512))) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            CompletableFuture<Completion> blocked = model.generate(
                    new GenerationRequest(Prompt.raw("uno"), SamplingSettings.GREEDY, 8, List.of(), Duration.ofMinutes(1)),
                    t -> {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    });
            Completion other = model.generate(new GenerationRequest(Prompt.raw("dos"), SamplingSettings.GREEDY, 8,
                    List.of(), Duration.ofMinutes(1)), TokenListener.NONE).get(1, TimeUnit.MINUTES);
            assertThat(other.completionTokens()).isPositive();
            assertThat(blocked).isNotDone();
            release.countDown();
            assertThat(blocked.get(1, TimeUnit.MINUTES).completionTokens()).isPositive();
        }
    }
}
