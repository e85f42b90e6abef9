package com.soportemax.inference.engine;

import com.soportemax.inference.chat.ChatTemplate;
import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A GGUF model held in memory: shared weights, one kernel pool, and a fixed set of generation threads fed by a
 * bounded FIFO queue. Each generation owns its KV cache.
 */
final class LocalLanguageModel implements LanguageModel {

    private final GgufFile file;
    private final Transformer model;
    private final Tokenizer tokenizer;
    private final ChatTemplate template;
    private final KernelPool pool;
    private final ModelInfo info;
    private final int contextLength;
    private final ThreadPoolExecutor generations;
    private final ScheduledExecutorService deadlines;
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
        int concurrent = options.maxConcurrentGenerations();
        this.generations = new ThreadPoolExecutor(concurrent, concurrent, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(Math.max(1, options.maxQueuedGenerations())),
                daemonThreads("soportemax-generation"));
        this.deadlines = Executors.newSingleThreadScheduledExecutor(daemonThreads("soportemax-deadline"));
        this.queueLimit = options.maxQueuedGenerations();
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

    int[] encode(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Chat chat -> template.encode(chat.messages(), true);
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
        Duration timeout = request.timeout();
        var deadline = deadlines.schedule(() -> future.completeExceptionally(new GenerationException(
                "the generation did not finish within its timeout of " + timeout
                        + " (queue wait included); retry later or raise the timeout")), timeout.toNanos(),
                TimeUnit.NANOSECONDS);
        future.whenComplete((c, e) -> deadline.cancel(false));
        synchronized (live) {
            if (queueLimit == 0 && generations.getActiveCount() >= generations.getMaximumPoolSize()) {
                future.completeExceptionally(new GenerationException("all generation slots are busy and the queue "
                        + "holds no waiting requests; retry later"));
                return future;
            }
            live.add(future);
        }
        future.whenComplete((c, e) -> {
            synchronized (live) {
                live.remove(future);
            }
        });
        try {
            generations.execute(() -> run(prompt, request, listener, future));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(new GenerationException(closed ? "the model is closed"
                    : "too many generations are waiting (" + generations.getQueue().size() + " queued); retry later"));
        }
        return future;
    }

    private void run(int[] prompt, GenerationRequest request, TokenListener listener,
                     CompletableFuture<Completion> future) {
        if (future.isDone()) return; // timed out or cancelled while queued
        try {
            Completion completion = new Generation(model, tokenizer, pool).run(prompt, request, contextLength,
                    listener, () -> future.isDone() || closed);
            if (closed && completion.stopReason() == StopReason.CANCELLED) {
                future.completeExceptionally(new GenerationException("the model was closed during the generation"));
            }
            future.complete(completion);
        } catch (CancellationException e) {
            future.cancel(false);
        } catch (RuntimeException | Error e) {
            future.completeExceptionally(new GenerationException("the generation failed: " + e, e));
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        generations.shutdown();
        List<CompletableFuture<Completion>> pendingFutures;
        synchronized (live) {
            pendingFutures = new ArrayList<>(live);
        }
        for (var f : pendingFutures) {
            f.completeExceptionally(new GenerationException("the model was closed"));
        }
        try {
            // running generations notice `closed` after their current token; the mapping must outlive them
            if (!generations.awaitTermination(30, TimeUnit.SECONDS)) {
                generations.shutdownNow();
                generations.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deadlines.shutdownNow();
        pool.close();
        file.close();
    }
}
