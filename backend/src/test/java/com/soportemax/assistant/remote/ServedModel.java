package com.soportemax.assistant.remote;

import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.LanguageModels;
import com.soportemax.inference.engine.ModelInfo;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.inference.engine.TokenListener;
import com.soportemax.inference.server.OpenAiServer;
import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.synthetic.SyntheticVocabulary;
import com.soportemax.inference.tensor.GgmlType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Our own {@code inference-core serve} in the test's JVM: a random-weight Qwen2.5-style model with the real
 * ChatML template (shrunk to test size) behind the OpenAI-compatible server, on a fixed port so that it can be
 * stopped ("the engine is down") and started again where clients expect it.
 */
final class ServedModel implements AutoCloseable {

    static final String API_KEY = "sk-served-model-test";
    static final String NAME = "qwen-test";

    private final LanguageModel model;
    private final RecordingModel recording;
    private final int port;
    private OpenAiServer server;

    ServedModel() {
        try {
            Path file = Files.createTempDirectory("served-model").resolve("qwen-test-q8_0.gguf");
            ModelShape shape = new ModelShape("qwen-test", "qwen2", 151936, 128, 2, 4, 2, 32, 256, 2048, 1_000_000f,
                    1e-6f, true, true, false, false);
            RandomModel.write(shape, GgmlType.Q8_0, SyntheticVocabulary.forShape("qwen2.5-0.5b"), 11, id -> false, file);
            model = LanguageModels.load(file, new EngineOptions(2, 4, 16, 2048));
            recording = new RecordingModel(model);
            try (ServerSocket probe = new ServerSocket(0)) {
                port = probe.getLocalPort();
            }
            start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port + "/v1");
    }

    LanguageModel engine() {
        return model;
    }

    /** What the served engine last generated, as it computed it. */
    Completion lastCompletion() {
        return recording.last.get();
    }

    /** The served engine, keeping each completion it hands to the server. */
    private static final class RecordingModel implements LanguageModel {
        private final LanguageModel engine;
        private final AtomicReference<Completion> last = new AtomicReference<>();

        RecordingModel(LanguageModel engine) {
            this.engine = engine;
        }

        @Override
        public ModelInfo info() {
            return engine.info();
        }

        @Override
        public int countTokens(Prompt prompt) {
            return engine.countTokens(prompt);
        }

        @Override
        public CompletableFuture<Completion> generate(GenerationRequest request, TokenListener listener) {
            return engine.generate(request, listener).whenComplete((c, e) -> {
                if (c != null) last.set(c);
            });
        }

        @Override
        public void close() {
        }
    }

    synchronized void start() throws IOException {
        if (server != null) return;
        server = OpenAiServer.start(recording, null, new OpenAiServer.Settings("127.0.0.1", port, Optional.of(API_KEY),
                NAME, Optional.empty(), 64, Duration.ofMinutes(2)));
    }

    /** The inference server goes away: connections are refused until {@link #start()}. */
    synchronized void stop() {
        if (server == null) return;
        server.close();
        server = null;
    }

    @Override
    public void close() {
        stop();
        model.close();
    }
}
