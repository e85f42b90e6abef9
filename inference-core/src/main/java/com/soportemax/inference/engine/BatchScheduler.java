package com.soportemax.inference.engine;

import com.soportemax.inference.model.KvMemory;
import com.soportemax.inference.model.KvSequence;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.tensor.KernelPool;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Continuous batching: one thread runs forward passes over every active generation at once, so each weight matrix
 * is read from memory once per step for all of them. Generations join at any step (when a slot is free) and leave
 * at any step (stop rule, cancellation, deadline). Each pass carries one generated token of every decoding
 * generation plus a chunk of at most {@link Transformer#PREFILL_CHUNK} prompt tokens of those still prefilling, so
 * a long prompt is prefilled over several passes while the others keep decoding. Prompts start from the longest
 * prefix found in the {@link PrefixCache}.
 */
final class BatchScheduler implements Runnable {

    private final Transformer model;
    private final KernelPool pool;
    private final KvMemory memory;
    private final Optional<PrefixCache> cache;
    private final Transformer.Workspace workspace;
    private final int maxActive;
    private final int contextLength;
    private final int vocabulary;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final ArrayDeque<Generation> waiting = new ArrayDeque<>();
    private final List<Generation> active = new ArrayList<>();
    private volatile boolean closed;
    private volatile int activeCount;
    private volatile int largestBatch;
    /** Finished generations whose caller has not yet received everything: they keep their slot until then. */
    private final java.util.concurrent.atomic.AtomicInteger delivering = new java.util.concurrent.atomic.AtomicInteger();

    BatchScheduler(Transformer model, KernelPool pool, KvMemory memory, Optional<PrefixCache> cache, int maxActive,
                   int contextLength) {
        this.model = model;
        this.pool = pool;
        this.memory = memory;
        this.cache = cache;
        this.maxActive = maxActive;
        this.contextLength = contextLength;
        this.vocabulary = model.config().vocabularySize();
        this.workspace = model.newWorkspace(maxActive + Transformer.PREFILL_CHUNK, maxActive);
    }

    void submit(Generation g) {
        lock.lock();
        try {
            waiting.add(g);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Generations submitted and not finished: waiting ones and those in the batch. */
    int live() {
        lock.lock();
        try {
            return waiting.size() + activeCount + delivering.get();
        } finally {
            lock.unlock();
        }
    }

    int waitingCount() {
        lock.lock();
        try {
            return waiting.size();
        } finally {
            lock.unlock();
        }
    }

    /** The most sequences one forward pass has carried so far. */
    int largestBatch() {
        return largestBatch;
    }

    /** Stops the loop: running and waiting generations fail with a "closed" error. */
    void close() {
        lock.lock();
        try {
            closed = true;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void run() {
        try {
            while (admit()) {
                try {
                    dropAbandoned();
                    if (!active.isEmpty()) step();
                } catch (RuntimeException e) {
                    // a fault outside the forward pass: the batch fails, the engine goes on serving
                    for (Generation g : active) {
                        g.fail(new GenerationException("the generation failed: " + e, e));
                        g.kv.release();
                    }
                    active.clear();
                    activeCount = 0;
                }
            }
        } finally {
            for (Generation g : active) {
                g.fail(new GenerationException("the model was closed during the generation"));
                g.kv.release();
            }
            active.clear();
            activeCount = 0;
            lock.lock();
            try {
                for (Generation g : waiting) g.fail(new GenerationException("the model was closed"));
                waiting.clear();
            } finally {
                lock.unlock();
            }
            cache.ifPresent(PrefixCache::clear);
        }
    }

    /** Moves waiting generations into free slots; waits while there is nothing to do. False once closed. */
    private boolean admit() {
        lock.lock();
        try {
            while (true) {
                if (closed) return false;
                while (active.size() + delivering.get() < maxActive && !waiting.isEmpty()) {
                    Generation g = waiting.poll();
                    if (g.abandoned()) continue; // timed out or cancelled while queued
                    int limit = Math.min(contextLength, g.prompt.length + g.request.maxTokens());
                    try {
                        Optional<PrefixCache.Hit> hit = cache.flatMap(c -> c.lookup(g.prompt, limit));
                        g.admit(hit.map(PrefixCache.Hit::kv).orElseGet(() -> KvSequence.create(memory, limit)),
                                hit.map(PrefixCache.Hit::length).orElse(0));
                    } catch (RuntimeException e) {
                        g.fail(new GenerationException("the generation could not start: " + e, e));
                        continue;
                    }
                    active.add(g);
                }
                activeCount = active.size();
                if (!active.isEmpty()) return true;
                work.awaitUninterruptibly();
            }
        } finally {
            lock.unlock();
        }
    }

    private void dropAbandoned() {
        for (int i = active.size() - 1; i >= 0; i--) {
            Generation g = active.get(i);
            if (g.abandoned()) {
                g.kv.release();
                active.remove(i);
            }
        }
        activeCount = active.size();
    }

    private void step() {
        List<Transformer.Step> steps = new ArrayList<>();
        List<Generation> inPass = new ArrayList<>();
        List<Generation> wantLogits = new ArrayList<>();
        for (Generation g : active) {
            if (!g.prefilling()) {
                steps.add(new Transformer.Step(g.kv, new int[]{g.lastToken}, 0, 1, false, true));
                inPass.add(g);
                wantLogits.add(g);
            }
        }
        int budget = Transformer.PREFILL_CHUNK;
        for (Generation g : active) {
            if (budget == 0) break;
            if (!g.prefilling()) continue;
            int n = Math.min(budget, g.prompt.length - g.prefilled);
            boolean last = g.prefilled + n == g.prompt.length;
            steps.add(new Transformer.Step(g.kv, g.prompt, g.prefilled, n, true, last));
            inPass.add(g);
            if (last) wantLogits.add(g);
            budget -= n;
        }
        largestBatch = Math.max(largestBatch, steps.size());
        try {
            model.forward(steps, workspace, pool);
        } catch (RuntimeException | Error e) {
            for (Generation g : inPass) {
                g.fail(new GenerationException("the generation failed: " + e, e));
                g.kv.release();
                active.remove(g);
            }
            activeCount = active.size();
            return;
        }
        for (Generation g : inPass) {
            if (g.prefilling()) g.prefilled = Math.min(g.prompt.length, g.kv.length());
        }
        float[] logits = workspace.logits();
        for (int row = 0; row < wantLogits.size(); row++) {
            Generation g = wantLogits.get(row);
            if (g.reused < g.prompt.length && g.kv.length() == g.prompt.length) {
                cache.ifPresent(c -> c.store(g.prompt, g.kv, Optional.empty()));
            }
            StopReason reason;
            try {
                reason = g.abandoned() ? StopReason.CANCELLED : g.accept(logits, row * vocabulary);
            } catch (RuntimeException e) {
                g.fail(new GenerationException("the generation failed: " + e, e));
                reason = StopReason.CANCELLED;
            }
            if (reason != null) {
                if (reason != StopReason.CANCELLED && g.request.session().isPresent()) {
                    int[] tokens = java.util.Arrays.copyOf(g.tokens(), g.kv.length());
                    cache.ifPresent(c -> c.store(tokens, g.kv, g.request.session()));
                }
                g.kv.release();
                active.remove(g);
                holdSlotUntilDelivered(g);
            }
        }
        activeCount = active.size();
    }

    private void holdSlotUntilDelivered(Generation g) {
        delivering.incrementAndGet();
        g.future.whenComplete((c, e) -> {
            delivering.decrementAndGet();
            lock.lock();
            try {
                work.signal();
            } finally {
                lock.unlock();
            }
        });
    }
}
