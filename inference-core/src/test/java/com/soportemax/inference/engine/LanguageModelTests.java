package com.soportemax.inference.engine;

import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.synthetic.SyntheticVocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LanguageModelTests {

    static Path file;
    static LanguageModel model;

    @BeforeAll
    static void load() throws IOException {
        file = Files.createTempDirectory("engine").resolve("tiny-q8_0.gguf");
        RandomModel.write(ModelShape.TINY, GgmlType.Q8_0, SyntheticVocabulary.forShape("tiny"), 3, id -> false, file);
        model = LanguageModels.load(file, new EngineOptions(2, 8, 16, 512));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    static GenerationRequest raw(String text, SamplingSettings sampling, int maxTokens, List<String> stops) {
        return new GenerationRequest(Prompt.raw(text), sampling, maxTokens, stops, Duration.ofMinutes(1));
    }

    /** A high temperature: the random model is so peaked that ordinary settings sample like greedy decoding. */
    static SamplingSettings sampled(long seed) {
        return new SamplingSettings(6, 0, 1, 0, 1.1, 64, seed);
    }

    @Test
    void describesTheLoadedModel() {
        ModelInfo info = model.info();
        assertThat(info.architecture()).isEqualTo("llama");
        assertThat(info.quantization()).isEqualTo("Q8_0");
        assertThat(info.vocabularySize()).isEqualTo(4096);
        assertThat(info.contextLength()).isEqualTo(512);
        assertThat(info.parameterCount()).isGreaterThan(2L * 4096 * 256);
        assertThat(info.templateFamily()).isNotBlank();
    }

    @Test
    void greedyGenerationIsRepeatableAndReportsProbabilities() throws Exception {
        GenerationRequest request = raw("Hola, ¿cómo estás?", SamplingSettings.GREEDY, 12, List.of()).withAlternatives(5);
        Completion a = model.generate(request, TokenListener.NONE).get();
        Completion b = model.generate(request, TokenListener.NONE).get();
        assertThat(a.tokens()).extracting(GeneratedToken::id).isEqualTo(b.tokens().stream().map(GeneratedToken::id).toList());
        assertThat(a.promptTokens()).isEqualTo(model.countTokens(Prompt.raw("Hola, ¿cómo estás?")));
        if (a.stopReason() == StopReason.MAX_TOKENS) assertThat(a.completionTokens()).isEqualTo(12);
        for (GeneratedToken t : a.tokens()) {
            assertThat(t.logProb()).isLessThanOrEqualTo(0);
            assertThat(t.alternatives()).hasSize(5);
            // greedy picks the most likely token, which heads the alternatives
            assertThat(t.alternatives().getFirst().id()).isEqualTo(t.id());
            assertThat(t.alternatives().getFirst().logProb()).isEqualTo(t.logProb(), org.assertj.core.data.Offset.offset(1e-9));
            assertThat(t.alternatives()).isSortedAccordingTo((x, y) -> Double.compare(y.logProb(), x.logProb()));
            assertThat(t.entropy()).isGreaterThanOrEqualTo(0);
        }
        assertThat(a.meanLogProb()).isLessThanOrEqualTo(0);
        assertThat(a.minTokenProb()).isBetween(0.0, 1.0);
        assertThat(a.prefillTime()).isPositive();
    }

    @Test
    void alternativesAndEntropyOnlyWhenAskedFor() throws Exception {
        Completion plain = model.generate(raw("Hola", SamplingSettings.GREEDY, 4, List.of()), TokenListener.NONE).get();
        Completion detailed = model.generate(raw("Hola", SamplingSettings.GREEDY, 4, List.of()).withAlternatives(3),
                TokenListener.NONE).get();
        assertThat(plain.tokens()).isNotEmpty().allSatisfy(t -> {
            assertThat(t.alternatives()).isEmpty();
            assertThat(t.entropy()).isNaN();
        });
        assertThat(detailed.tokens()).allSatisfy(t -> assertThat(t.alternatives()).hasSize(3));
        for (int i = 0; i < plain.tokens().size(); i++) {
            assertThat(plain.tokens().get(i).logProb()).isCloseTo(detailed.tokens().get(i).logProb(),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
    }

    @Test
    void sameSeedSameOutputDifferentSeedsDiffer() throws Exception {
        List<List<Integer>> outputs = new ArrayList<>();
        for (long seed : new long[]{1, 1, 2, 3}) {
            Completion c = model.generate(raw("Necesito ayuda con mi pedido", sampled(seed), 24, List.of()),
                    TokenListener.NONE).get();
            outputs.add(c.tokens().stream().map(GeneratedToken::id).toList());
        }
        assertThat(outputs.get(0)).isEqualTo(outputs.get(1));
        assertThat(outputs.subList(1, 4)).as("three seeds giving one output").doesNotHaveDuplicates();
    }

    @Test
    void eightConcurrentGenerationsEqualSequentialOnes() throws Exception {
        List<GenerationRequest> requests = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            requests.add(raw("Pregunta número " + i + ": ¿dónde está mi factura?", sampled(100 + i), 20, List.of()));
        }
        List<String> sequential = new ArrayList<>();
        for (GenerationRequest r : requests) sequential.add(model.generate(r, TokenListener.NONE).get().text());

        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<Completion>> futures = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (GenerationRequest r : requests) {
            CompletableFuture<Completion> f = new CompletableFuture<>();
            futures.add(f);
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    model.generate(r, TokenListener.NONE).whenComplete((c, e) -> {
                        if (e != null) f.completeExceptionally(e);
                        else f.complete(c);
                    });
                } catch (InterruptedException e) {
                    f.completeExceptionally(e);
                }
            }));
        }
        start.countDown();
        List<String> concurrent = new ArrayList<>();
        for (CompletableFuture<Completion> f : futures) concurrent.add(f.get(2, TimeUnit.MINUTES).text());
        for (Thread t : threads) t.join();
        assertThat(concurrent).isEqualTo(sequential);
    }

    @Test
    void streamedPiecesAddUpToTheTextWithoutBrokenCharacters() throws Exception {
        StringBuilder streamed = new StringBuilder();
        Completion c = model.generate(raw("Señor, ñandú y café ☕", sampled(7), 40, List.of()),
                t -> streamed.append(t.text())).get();
        assertThat(streamed.toString()).isEqualTo(c.text());
        for (GeneratedToken t : c.tokens()) {
            String s = t.text();
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (Character.isHighSurrogate(ch)) assertThat(i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))).isTrue();
                if (Character.isLowSurrogate(ch)) assertThat(i > 0 && Character.isHighSurrogate(s.charAt(i - 1))).isTrue();
            }
        }
    }

    @Test
    void stopsBeforeAStopStringAndNeverStreamsIt() throws Exception {
        Completion free = model.generate(raw("Hola", SamplingSettings.GREEDY, 30, List.of()), TokenListener.NONE).get();
        String text = free.text();
        assertThat(text.length()).as("generated text").isGreaterThan(6);
        String stop = text.substring(text.length() / 2, text.length() / 2 + 3);
        int expectedEnd = text.indexOf(stop);
        StringBuilder streamed = new StringBuilder();
        Completion stopped = model.generate(raw("Hola", SamplingSettings.GREEDY, 30, List.of(stop)),
                t -> streamed.append(t.text())).get();
        assertThat(stopped.stopReason()).isEqualTo(StopReason.STOP_STRING);
        assertThat(stopped.text()).isEqualTo(text.substring(0, expectedEnd));
        assertThat(streamed.toString()).isEqualTo(stopped.text()).doesNotContain(stop);
    }

    @Test
    void stopsAtMaxTokens() throws Exception {
        Completion c = model.generate(raw("Hola", SamplingSettings.GREEDY, 3, List.of()), TokenListener.NONE).get();
        assertThat(c.completionTokens()).isLessThanOrEqualTo(3);
        if (c.stopReason() != StopReason.END_OF_GENERATION) {
            assertThat(c.stopReason()).isEqualTo(StopReason.MAX_TOKENS);
            assertThat(c.completionTokens()).isEqualTo(3);
        }
    }

    @Test
    void refusesPromptsLongerThanTheContextWindow() {
        String longText = "palabra ".repeat(600);
        CompletableFuture<Completion> f = model.generate(raw(longText, SamplingSettings.GREEDY, 5, List.of()), TokenListener.NONE);
        assertThatThrownBy(f::get).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(ContextOverflowException.class).hasMessageContaining("512");
    }

    @Test
    void chatPromptsUseTheTemplate() throws Exception {
        List<ChatMessage> chat = List.of(ChatMessage.system("Eres un agente de soporte."), ChatMessage.user("Hola"));
        int withTemplate = model.countTokens(Prompt.chat(chat));
        assertThat(withTemplate).isGreaterThan(model.countTokens(Prompt.raw("Eres un agente de soporte.Hola")));
        Completion c = model.generate(GenerationRequest.chat(chat, SamplingSettings.GREEDY, 5), TokenListener.NONE).get();
        assertThat(c.promptTokens()).isEqualTo(withTemplate);
    }

    @Test
    void cancellingTheFutureStopsTheGeneration() throws Exception {
        AtomicInteger seen = new AtomicInteger();
        CompletableFuture<Completion>[] holder = new CompletableFuture[1];
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        holder[0] = model.generate(raw("Hola", sampled(1), 400, List.of()), t -> {
            seen.incrementAndGet();
            started.countDown();
            try {
                cancelled.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        started.await();
        holder[0].cancel(true);
        cancelled.countDown();
        assertThatThrownBy(() -> holder[0].get()).isInstanceOf(CancellationException.class);
        Thread.sleep(200);
        assertThat(seen.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void aFullQueueAndATimeoutFailClearly() throws Exception {
        try (LanguageModel small = LanguageModels.load(file, new EngineOptions(1, 1, 1, 256))) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Completion> running = small.generate(raw("uno", SamplingSettings.GREEDY, 3, List.of()), t -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            CompletableFuture<Completion> queued = small.generate(new GenerationRequest(Prompt.raw("dos"),
                    SamplingSettings.GREEDY, 3, List.of(), Duration.ofMillis(200)), TokenListener.NONE);
            Thread.sleep(50);
            CompletableFuture<Completion> refused = small.generate(raw("tres", SamplingSettings.GREEDY, 3, List.of()), TokenListener.NONE);
            assertThatThrownBy(refused::get).cause().isInstanceOf(GenerationException.class).hasMessageContaining("retry later");
            assertThatThrownBy(() -> queued.get(5, TimeUnit.SECONDS)).cause().isInstanceOf(GenerationException.class)
                    .hasMessageContaining("timeout");
            release.countDown();
            assertThat(running.get(30, TimeUnit.SECONDS).completionTokens()).isPositive();
        }
    }

    @Test
    void aClosedModelRefusesWork() throws Exception {
        LanguageModel other = LanguageModels.load(file, new EngineOptions(1, 1, 1, 256));
        other.close();
        assertThatThrownBy(() -> other.generate(raw("hola", SamplingSettings.GREEDY, 3, List.of()), TokenListener.NONE).get())
                .cause().isInstanceOf(GenerationException.class).hasMessageContaining("closed");
    }

    @Test
    void loadingACorruptFileNamesTheProblem() throws IOException {
        Path bad = file.resolveSibling("truncated.gguf");
        byte[] all = Files.readAllBytes(file);
        Files.write(bad, java.util.Arrays.copyOf(all, all.length / 2));
        assertThatThrownBy(() -> LanguageModels.load(bad, EngineOptions.DEFAULT)).isInstanceOf(ModelFileException.class)
                .hasMessageContaining("truncated.gguf").hasMessageContaining("beyond the end of the file");
    }
}
