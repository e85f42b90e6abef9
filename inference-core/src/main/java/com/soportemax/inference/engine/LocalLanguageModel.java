package com.soportemax.inference.engine;

import com.soportemax.inference.chat.ChatTemplate;
import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.model.KvMemory;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A GGUF model held in memory: shared weights, one kernel pool, one KV memory and one {@link BatchScheduler} that
 * decodes every running generation in the same forward pass. Generations beyond the batch wait FIFO in a bounded
 * queue.
 */
final class LocalLanguageModel implements LanguageModel {

    private final GgufFile file;
    private final Transformer model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final KernelPool pool;
    private final ModelInfo info;
    private final int contextLength;
    private final int vocabulary;
    private final KvMemory memory;
    private final Optional<PrefixCache> cache;
    private final BatchScheduler scheduler;
    private final Thread schedulerThread;
    private final ExecutorService deliveries;
    private final ScheduledExecutorService deadlines;
    private final int maxLive;
    private final int queueLimit;
    private final List<CompletableFuture<Completion>> live = new ArrayList<>();
    private volatile boolean closed;

    LocalLanguageModel(GgufFile file, Transformer model, Tokenizer tokenizer, ChatTemplate template, KernelPool pool,
                       EngineOptions options, String name) {
        this.file = file;
        this.model = model;
        this.tokenizer = tokenizer;
        this.template = template;
        this.pool = pool;
        int modelContext = model.config().contextLength();
        this.contextLength = options.contextLength() == 0 ? modelContext : Math.min(options.contextLength(), modelContext);
        this.info = new ModelInfo(name, model.config().architecture(), model.parameterCount(), contextLength,
                model.dominantType().name(), tokenizer.vocabularySize(), template.family());
        this.vocabulary = Math.min(model.config().vocabularySize(), tokenizer.vocabularySize());
        this.memory = new KvMemory(model.config());
        this.cache = options.prefixCacheBytes() == 0 ? Optional.empty()
                : Optional.of(new PrefixCache(memory, options.prefixCacheBytes(), options.sessionTtl(), System::nanoTime));
        this.scheduler = new BatchScheduler(model, pool, memory, cache, options.maxConcurrentGenerations(),
                contextLength);
        this.schedulerThread = Thread.ofPlatform().daemon().name("soportemax-batch").start(scheduler);
        this.deliveries = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("soportemax-tokens-", 0).factory());
        this.deadlines = Executors.newSingleThreadScheduledExecutor(daemonThreads("soportemax-deadline"));
        this.queueLimit = options.maxQueuedGenerations();
        this.maxLive = options.maxConcurrentGenerations() + options.maxQueuedGenerations();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public int countTokens(Prompt prompt) {
        return encode(prompt).length;
    }

    /** The tokenizer of this model (CLI and tests). */
    Tokenizer tokenizer() {
        return tokenizer;
    }

    Transformer transformer() {
        return model;
    }

    KernelPool pool() {
        return pool;
    }

    /** Native KV memory in use (running generations and the prefix cache). */
    KvMemory kvMemory() {
        return memory;
    }

    BatchScheduler scheduler() {
        return scheduler;
    }

    Optional<PrefixCache> prefixCache() {
        return cache;
    }

    int[] encode(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Chat chat -> template.encode(chat.messages(), true);
            case Prompt.Tokens tokens -> {
                int[] ids = tokens.ids();
                for (int id : ids) {
                    if (id < 0 || id >= model.config().vocabularySize()) {
                        throw new IllegalArgumentException("token id " + id + " outside the vocabulary of "
                                + model.config().vocabularySize());
                    }
                }
                yield ids;
            }
            case Prompt.Raw raw -> {
                int[] text = tokenizer.encode(raw.text());
                if (!tokenizer.addBos() || tokenizer.bosToken() < 0) yield text;
                int[] withBos = new int[text.length + 1];
                withBos[0] = tokenizer.bosToken();
                System.arraycopy(text, 0, withBos, 1, text.length);
                yield withBos;
            }
        };
    }

    @Override
    public CompletableFuture<Completion> generate(GenerationRequest request, TokenListener listener) {
        CompletableFuture<Completion> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new GenerationException("the model is closed"));
            return future;
        }
        int[] prompt;
        try {
            prompt = encode(request.prompt());
        } catch (RuntimeException e) {
            future.completeExceptionally(new GenerationException("could not build the prompt: " + e.getMessage(), e));
            return future;
        }
        // room for the prompt and at least one generated token
        if (prompt.length + 1 > contextLength) {
            future.completeExceptionally(new ContextOverflowException(prompt.length, contextLength));
            return future;
        }
        synchronized (live) {
            if (live.size() >= maxLive) {
                future.completeExceptionally(new GenerationException(queueLimit == 0
                        ? "all generation slots are busy and the queue holds no waiting requests; retry later"
                        : "too many generations are waiting (" + scheduler.waitingCount() + " queued); retry later"));
                return future;
            }
            live.add(future);
        }
        future.whenComplete((c, e) -> {
            synchronized (live) {
                live.remove(future);
            }
        });
        Duration timeout = request.timeout();
        var deadline = deadlines.schedule(() -> future.completeExceptionally(new GenerationException(
                "the generation did not finish within its timeout of " + timeout
                        + " (queue wait included); retry later or raise the timeout")), timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        future.whenComplete((c, e) -> deadline.cancel(false));
        scheduler.submit(new Generation(prompt, request, listener, future, new Delivery(deliveries), tokenizer,
                vocabulary));
        if (closed) scheduler.close();
        return future;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        scheduler.close();
        try {
            // the loop fails running generations after the current pass; the mapping must outlive it
            schedulerThread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<CompletableFuture<Completion>> pendingFutures;
        synchronized (live) {
            pendingFutures = new ArrayList<>(live);
        }
        for (var f : pendingFutures) {
            f.completeExceptionally(new GenerationException("the model was closed"));
        }
        deliveries.shutdown();
        deadlines.shutdownNow();
        pool.close();
        file.close();
    }
}
