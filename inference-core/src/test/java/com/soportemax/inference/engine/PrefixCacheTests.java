package com.soportemax.inference.engine;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.model.KvMemory;
import com.soportemax.inference.model.KvSequence;
import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.synthetic.SyntheticVocabulary;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixCacheTests {

    static final String SYSTEM = "Eres el asistente de la Tienda SoporteMax. Respondes en español, con frases cortas, "
            + "solo con lo que dicen los artículos de ayuda. Si no lo sabes, ofreces pasar la conversación a una persona.";

    static Path file;
    static LanguageModel cached;
    static LanguageModel uncached;

    @BeforeAll
    static void load() throws IOException {
        file = Files.createTempDirectory("prefix").resolve("tiny-q8_0.gguf");
        RandomModel.write(ModelShape.TINY, GgmlType.Q8_0, SyntheticVocabulary.forShape("tiny"), 3, id -> false, file);
        cached = LanguageModels.load(file, new EngineOptions(2, 4, 16, 1024));
        uncached = LanguageModels.load(file, new EngineOptions(2, 4, 16, 1024).withPrefixCache(0));
    }

    @AfterAll
    static void close() {
        cached.close();
        uncached.close();
    }

    static GenerationRequest chat(List<ChatMessage> messages) {
        return new GenerationRequest(Prompt.chat(messages), SamplingSettings.GREEDY, 16, List.of(),
                Duration.ofMinutes(1));
    }

    static Completion run(LanguageModel model, GenerationRequest request) throws Exception {
        return model.generate(request, TokenListener.NONE).get(1, TimeUnit.MINUTES);
    }

    static List<Integer> ids(Completion c) {
        return c.tokens().stream().map(GeneratedToken::id).toList();
    }

    @Test
    void aSecondConversationReusesTheSystemPromptAndAnswersAsWithoutTheCache() throws Exception {
        GenerationRequest first = chat(List.of(ChatMessage.system(SYSTEM), ChatMessage.user("¿Dónde está mi pedido?")));
        GenerationRequest second = chat(List.of(ChatMessage.system(SYSTEM), ChatMessage.user("Quiero una factura")));
        run(cached, first);
        Completion withCache = run(cached, second);
        Completion withoutCache = run(uncached, second);

        LocalLanguageModel local = (LocalLanguageModel) cached;
        int systemTokens = PrefixCache.commonPrefix(local.encode(first.prompt()), local.encode(second.prompt()));
        assertThat(systemTokens).as("tokens the two prompts share").isGreaterThan(30);
        assertThat(withCache.cachedPromptTokens()).isEqualTo(systemTokens);
        assertThat(withCache.prefilledTokens()).isEqualTo(withCache.promptTokens() - systemTokens);
        assertThat(withoutCache.cachedPromptTokens()).isZero();
        assertThat(ids(withCache)).isEqualTo(ids(withoutCache));
    }

    @Test
    void aFollowUpInTheSameConversationPrefillsOnlyItsNewTokens() throws Exception {
        List<ChatMessage> turn1 = List.of(ChatMessage.system(SYSTEM), ChatMessage.user("Hola, compré unas zapatillas"));
        Completion answer = run(cached, chat(turn1).withSession("conversation-42"));
        List<ChatMessage> turn2 = List.of(ChatMessage.system(SYSTEM), ChatMessage.user("Hola, compré unas zapatillas"),
                ChatMessage.assistant(answer.text()), ChatMessage.user("¿Puedo cambiarlas por otra talla?"));
        GenerationRequest followUp = chat(turn2).withSession("conversation-42");
        Completion second = run(cached, followUp);

        LocalLanguageModel local = (LocalLanguageModel) cached;
        int[] before = local.encode(Prompt.chat(turn1));
        int[] now = local.encode(followUp.prompt());
        // the KV kept after turn 1: its prompt and every generated token but the last (never fed back)
        int[] kept = new int[before.length + answer.completionTokens() - 1];
        System.arraycopy(before, 0, kept, 0, before.length);
        for (int i = 0; i < answer.completionTokens() - 1; i++) kept[before.length + i] = answer.tokens().get(i).id();
        int reusable = Math.min(PrefixCache.commonPrefix(kept, now), now.length - 1);
        assertThat(reusable).as("turn 1's prompt is all reusable").isGreaterThanOrEqualTo(before.length - 1);
        assertThat(second.prefilledTokens()).as("prompt tokens computed for the follow-up")
                .isEqualTo(now.length - reusable)
                .isLessThan(now.length - before.length + answer.completionTokens() + 2);
        assertThat(ids(second)).isEqualTo(ids(run(uncached, followUp)));
    }

    @Test
    void theCacheStaysWithinItsBudgetEvictingTheLeastRecentlyUsed() throws IOException {
        try (GgufFile gguf = GgufFile.open(file); KernelPool pool = KernelPools.create(1)) {
            Transformer model = Transformer.load(gguf);
            KvMemory memory = new KvMemory(model.config());
            AtomicLong clock = new AtomicLong();
            PrefixCache cache = new PrefixCache(memory, 3 * memory.pageBytes(), Duration.ofMinutes(10), clock::get);
            Transformer.Workspace ws = model.newWorkspace(16, 1);
            int[][] prompts = new int[3][];
            for (int i = 0; i < 3; i++) {
                prompts[i] = new java.util.SplittableRandom(i).ints(20, 300, 4000).toArray(); // two pages each
                KvSequence kv = KvSequence.create(memory, 32);
                model.forward(List.of(new Transformer.Step(kv, prompts[i], 0, 16, true, false)), ws, pool);
                model.forward(List.of(new Transformer.Step(kv, prompts[i], 16, 4, true, true)), ws, pool);
                clock.addAndGet(1000);
                cache.store(prompts[i], kv, Optional.empty());
                kv.release();
                assertThat(cache.bytesHeld()).isLessThanOrEqualTo(3 * memory.pageBytes());
            }
            assertThat(cache.lookup(prompts[0], 32)).as("the oldest was evicted").isEmpty();
            Optional<PrefixCache.Hit> hit = cache.lookup(prompts[2], 32);
            assertThat(hit).get().extracting(PrefixCache.Hit::length).isEqualTo(19);
            hit.get().kv().release();
            cache.clear();
            assertThat(memory.pagesInUse()).as("every page returned").isZero();
        }
    }

    @Test
    void aConversationsCacheExpiresAfterItsTimeToLive() throws IOException {
        try (GgufFile gguf = GgufFile.open(file); KernelPool pool = KernelPools.create(1)) {
            Transformer model = Transformer.load(gguf);
            KvMemory memory = new KvMemory(model.config());
            AtomicLong clock = new AtomicLong();
            PrefixCache cache = new PrefixCache(memory, 1L << 30, Duration.ofMinutes(10), clock::get);
            int[] tokens = new java.util.SplittableRandom(5).ints(10, 300, 4000).toArray();
            KvSequence kv = KvSequence.create(memory, 16);
            model.forward(List.of(new Transformer.Step(kv, tokens, 0, 10, true, true)), model.newWorkspace(16, 1), pool);
            cache.store(tokens, kv, Optional.of("conversation-7"));
            kv.release();
            clock.addAndGet(Duration.ofMinutes(9).toNanos());
            Optional<PrefixCache.Hit> hit = cache.lookup(tokens, 16);
            assertThat(hit).as("still kept 9 minutes later").isPresent();
            hit.get().kv().release();
            clock.addAndGet(Duration.ofMinutes(11).toNanos());
            assertThat(cache.lookup(tokens, 16)).as("gone 11 minutes after its last use").isEmpty();
            assertThat(memory.pagesInUse()).isZero();
        }
    }
}
