package com.soportemax.assistant;

import com.soportemax.shared.models.ModelDownloader;
import com.soportemax.shared.models.ModelFiles;
import com.soportemax.shared.models.ModelReference;
import com.soportemax.assistant.remote.RemoteLanguageModel;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.LanguageModels;
import com.soportemax.inference.engine.ModelFileException;
import com.soportemax.inference.engine.ModelInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The assistant's language model. Start-up never waits for it: the model is downloaded and loaded on a background
 * thread within {@code soportemax.model-load-timeout}; until then, and for good when it cannot be had, the
 * assistant runs in retrieval-only mode. A {@link LanguageModel} bean in the context (a test engine) is used as is.
 */
@Component
public class AssistantEngine implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(AssistantEngine.class);

    public enum Mode { LOADING, LLM, RETRIEVAL_ONLY }

    /**
     * @param notice for admins: why the assistant runs without a model and how to enable it; empty in LLM mode
     */
    public record Status(Mode mode, String modelReference, Optional<ModelInfo> info, String notice, Instant since) {
    }

    private final ModelProperties properties;
    private final EngineOptions options;
    private final AtomicReference<Status> status = new AtomicReference<>();
    private final CountDownLatch settled = new CountDownLatch(1);
    private volatile LanguageModel model;
    private volatile boolean ownsModel;
    private volatile Thread loader;

    AssistantEngine(ModelProperties properties, AssistantSettings assistant, ObjectProvider<LanguageModel> provided) {
        this.properties = properties;
        this.options = new EngineOptions(assistant.engineThreads(), assistant.maxConcurrentAnswers(),
                assistant.maxConcurrentAnswers(), assistant.contextLength(), assistant.prefixCache().toBytes(),
                EngineOptions.DEFAULT_SESSION_TTL);
        LanguageModel given = provided.getIfUnique();
        if (given != null) {
            model = given;
            status.set(new Status(Mode.LLM, "bean " + given.info().name(), Optional.of(given.info()), "", Instant.now()));
            settled.countDown();
            return;
        }
        ModelReference reference = properties.reference();
        if (reference instanceof ModelReference.None) {
            retrievalOnly("soportemax.model is 'none'");
            return;
        }
        status.set(new Status(Mode.LOADING, reference.toString(), Optional.empty(),
                "The language model " + reference + " is being prepared; until it is ready the assistant answers "
                        + "in retrieval-only mode.", Instant.now()));
        startLoading(reference);
    }

    /** The model, when one is loaded and usable. */
    public Optional<LanguageModel> model() {
        return status.get().mode() == Mode.LLM ? Optional.ofNullable(model) : Optional.empty();
    }

    public Status status() {
        Status current = status.get();
        if (model instanceof RemoteLanguageModel remote && !remote.notice().isEmpty()) {
            return new Status(current.mode(), current.modelReference(), current.info(), remote.notice(), current.since());
        }
        return current;
    }

    /** Waits until loading has succeeded or given up (for tests and the admin page's first view). */
    public boolean awaitSettled(Duration timeout) throws InterruptedException {
        return settled.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void startLoading(ModelReference reference) {
        Thread thread = Thread.ofPlatform().daemon().name("model-loader").unstarted(() -> load(reference));
        loader = thread;
        thread.start();
        Thread.ofPlatform().daemon().name("model-loader-watchdog").start(() -> {
            try {
                thread.join(properties.modelLoadTimeout());
            } catch (InterruptedException e) {
                return;
            }
            if (thread.isAlive()) {
                // The reason first: the interrupted loader then fails too, and its own reason must not win.
                retrievalOnly("preparing " + reference + " did not finish within soportemax.model-load-timeout ("
                        + properties.modelLoadTimeout() + ")");
                thread.interrupt();
            }
        });
    }

    private void load(ModelReference reference) {
        LanguageModel loaded = null;
        try {
            Path file = switch (reference) {
                case ModelReference.LocalFile local -> local.path();
                case ModelReference.HuggingFace hf ->
                        new ModelDownloader(properties.modelHub(), Duration.ofSeconds(10))
                                .fetch(hf, properties.modelCache(), properties.modelSha256());
                case ModelReference.None none -> throw new IllegalStateException("nothing to load");
            };
            ModelFiles.checkIsGguf(file);
            long start = System.nanoTime();
            loaded = LanguageModels.load(file, options);
            ModelInfo info = loaded.info();
            Status ready = new Status(Mode.LLM, reference.toString(), Optional.of(info), "", Instant.now());
            Status current = status.get();
            model = loaded;
            ownsModel = true;
            if (current.mode() == Mode.LOADING && status.compareAndSet(current, ready)) {
                settled.countDown();
                log.info("Assistant language model ready: {} ({}, {} parameters, {} tokens of context, {}), "
                                + "loaded in {} ms", info.name(), info.architecture(), info.parameterCount(),
                        info.contextLength(), info.quantization(), (System.nanoTime() - start) / 1_000_000);
            } else {
                // Gave up waiting (timeout) while loading went on: this late model is not used.
                model = null;
                loaded.close();
            }
        } catch (ModelFileException e) {
            retrievalOnly("the model file is not a usable GGUF model: " + e.getMessage());
        } catch (IOException e) {
            retrievalOnly("the model could not be obtained: " + e.getMessage());
        } catch (UnsupportedOperationException e) {
            retrievalOnly("the embedded engine cannot run models yet (" + e.getMessage() + ")");
        } catch (RuntimeException | OutOfMemoryError e) {
            if (loaded != null) loaded.close();
            log.error("Loading the language model {} failed", reference, e);
            retrievalOnly("loading the model failed: " + e);
        }
    }

    private void retrievalOnly(String reason) {
        Status current = status.get();
        if (current != null && current.mode() != Mode.LOADING) return;
        String reference = current == null ? properties.model() : current.modelReference();
        String notice = "The assistant runs in retrieval-only mode: " + reason + ". Customers get the best "
                + "knowledge-base passage when retrieval is confident and are handed to an agent otherwise. To enable "
                + "the language model, set soportemax.model (or SOPORTEMAX_MODEL) to a GGUF file, e.g. "
                + "--soportemax.model=/models/qwen2.5-0.5b-instruct-q8_0.gguf, or to an hf:owner/repo/file.gguf "
                + "reachable from this server, and restart.";
        if (status.compareAndSet(current, new Status(Mode.RETRIEVAL_ONLY, reference, Optional.empty(), notice,
                Instant.now()))) {
            log.warn(notice);
            settled.countDown();
        }
    }

    @Override
    public void destroy() {
        Thread thread = loader;
        if (thread != null) thread.interrupt();
        LanguageModel loaded = model;
        if (loaded != null && ownsModel) loaded.close();
    }
}
