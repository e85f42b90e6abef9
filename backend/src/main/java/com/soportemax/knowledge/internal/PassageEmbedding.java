package com.soportemax.knowledge.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Computes the passages' vectors in the background, never in a request or at start-up: when the model is ready, after
 * every article change commits on this node, and every {@code embedding-check-interval} (changes made on another
 * node). Each run embeds the passages the model has no vector of, a few at a time, with the model's background instance
 * (questions are embedded by another), and afterwards removes the vectors no passage needs. One node at a time
 * computes vectors (an advisory lock); the others see its progress at their next check and load its vectors. Runs never overlap; requests made during a run
 * start one more run after it.
 */
@Component
class PassageEmbedding implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PassageEmbedding.class);
    /** Passages embedded in one call of the model (and stored in one statement). */
    static final int BATCH = 8;

    /**
     * @param embedded passages (distinct texts) that have a vector of the current model
     * @param total    passages (distinct texts) there are
     * @param running  whether vectors are being computed now
     * @param problem  why the last run failed, empty when it did not
     */
    record Progress(int embedded, int total, boolean running, String problem) {

        static final Progress NONE = new Progress(0, 0, false, "");

        int percent() {
            return total == 0 ? 100 : (int) Math.floor(embedded * 100.0 / total);
        }
    }

    private final SemanticModel model;
    private final PassageVectors vectors;
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("passage-embedding").factory());
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicReference<Progress> progress = new AtomicReference<>(Progress.NONE);
    private volatile boolean stopping;

    PassageEmbedding(SemanticModel model, PassageVectors vectors, KnowledgeProperties properties) {
        this.model = model;
        this.vectors = vectors;
        if (model.status().state() != SemanticModel.State.OFF) {
            long every = properties.embeddingCheckInterval().toMillis();
            worker.scheduleWithFixedDelay(this::request, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** How far the vectors are; {@code running} also while a requested run has not started yet. */
    Progress progress() {
        Progress now = progress.get();
        return requested.get() && !now.running()
                ? new Progress(now.embedded(), now.total(), true, now.problem()) : now;
    }

    @EventListener(ApplicationReadyEvent.class)
    void started() {
        request();
    }

    @EventListener
    void modelLoaded(SemanticModel.Loaded loaded) {
        request();
    }

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void articlesChanged(ArticlesChanged changed) {
        request();
    }

    /**
     * Asks for a run; several requests before it starts make one run. The progress says "running" from here on, so
     * whoever changed the articles (an admin's page, an import) sees the work pending as soon as the change is made.
     */
    void request() {
        if (stopping || model.ready().isEmpty()) return;
        if (requested.compareAndSet(false, true)) {
            Progress before = progress.get();
            progress.set(new Progress(before.embedded(), before.total(), true, before.problem()));
            worker.execute(this::run);
        }
    }

    private void run() {
        Progress before = progress.get();
        progress.set(new Progress(before.embedded(), before.total(), true, before.problem()));
        requested.set(false);
        SemanticModel.Ready ready = model.ready().orElse(null);
        if (ready == null || stopping) {
            progress.set(new Progress(before.embedded(), before.total(), false, before.problem()));
            return;
        }
        try {
            Snapshot now = snapshot(ready);
            progress.set(new Progress(now.done(), now.total(), !now.missing().isEmpty(), ""));
            if (now.missing().isEmpty()) {
                prune(ready, now);
            } else if (!vectors.whileNoOtherNodeEmbeds(() -> embed(ready, snapshot(ready)))) {
                // Another node is computing them (running stays true); the next check shows how far it got.
                log.debug("Another node is embedding the passages");
            }
        } catch (RuntimeException e) {
            Progress last = progress.get();
            log.warn("Embedding the passages failed ({}); retrying within the check interval", e.toString());
            progress.set(new Progress(last.embedded(), last.total(), false, e.getMessage() == null
                    ? e.toString() : e.getMessage()));
        }
    }

    /** The passages now, and which of them have no vector of the model yet. */
    private record Snapshot(Instant at, Set<String> wanted, List<PassageText> missing) {

        int total() {
            return wanted.size();
        }

        int done() {
            return wanted.size() - missing.size();
        }
    }

    private Snapshot snapshot(SemanticModel.Ready ready) {
        Instant at = vectors.databaseNow();
        Collection<PassageText> passages = vectors.currentPassages(ready.passagePrefix());
        Set<String> have = vectors.embedded(ready.identity());
        List<PassageText> missing = new ArrayList<>();
        Set<String> wanted = new HashSet<>();
        for (PassageText passage : passages) {
            wanted.add(passage.sha256());
            if (!have.contains(passage.sha256())) missing.add(passage);
        }
        return new Snapshot(at, wanted, missing);
    }

    private void embed(SemanticModel.Ready ready, Snapshot now) {
        List<PassageText> missing = now.missing();
        int total = now.total();
        int done = now.done();
        progress.set(new Progress(done, total, true, ""));
        if (!missing.isEmpty()) {
            log.info("Embedding {} of {} passages for semantic retrieval", missing.size(), total);
        }
        long started = System.nanoTime();
        for (int from = 0; from < missing.size(); from += BATCH) {
            if (stopping || Thread.currentThread().isInterrupted()) return;
            List<PassageText> batch = missing.subList(from, Math.min(missing.size(), from + BATCH));
            List<float[]> embedded = ready.embedPassages(batch);
            vectors.store(ready.identity(), batch, embedded);
            done += batch.size();
            progress.set(new Progress(done, total, true, ""));
        }
        if (!missing.isEmpty()) {
            log.info("Embedded {} passages in {} s: {} of {} passages have a vector", missing.size(),
                    (System.nanoTime() - started) / 1_000_000_000, done, total);
        }
        prune(ready, now);
    }

    private void prune(SemanticModel.Ready ready, Snapshot now) {
        int removed = vectors.prune(ready.identity(), now.wanted(), now.at());
        if (removed > 0) log.debug("Removed {} vectors no passage needs any more", removed);
        progress.set(new Progress(now.total(), now.total(), false, ""));
    }

    @Override
    public void destroy() {
        stopping = true;
        worker.shutdownNow();
    }
}
