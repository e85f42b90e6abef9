package com.soportemax.assistant.remote;

import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.ContextOverflowException;
import com.soportemax.inference.engine.GeneratedToken;
import com.soportemax.inference.engine.GenerationException;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.ModelInfo;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.inference.engine.StopReason;
import com.soportemax.inference.engine.TokenCandidate;
import com.soportemax.inference.engine.TokenListener;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The assistant's language model on an OpenAI-compatible server, streamed through {@code /v1/chat/completions}
 * (raw prompts through {@code /v1/completions}) with the chosen tokens' log-probabilities and their top five
 * alternatives, which the confidence score is built from. A request that fails before its first token is retried
 * with exponential back-off; a server that keeps failing opens the circuit breaker, and while it is open every
 * generation fails at once (the pipeline hands those conversations to agents) until a trial call succeeds.
 *
 * <p>When the server sends no log-probabilities (some servers ignore {@code logprobs}), the completion's
 * {@code meanLogProb} and {@code minTokenProb} are NaN and {@link #notice()} says so.
 */
public final class RemoteLanguageModel implements LanguageModel {

    private static final Logger log = LoggerFactory.getLogger(RemoteLanguageModel.class);
    static final int ALTERNATIVES = 5;

    private final OpenAiClient client;
    private final InferenceSettings settings;
    private final ModelInfo info;
    private final CircuitBreaker circuitBreaker;
    private final Retry retry;
    private final ScheduledExecutorService watchdogs;
    private final AtomicBoolean warnedNoLogprobs = new AtomicBoolean();
    private final AtomicReference<String> notice = new AtomicReference<>("");
    private volatile boolean closed;

    public RemoteLanguageModel(InferenceSettings settings, tools.jackson.databind.json.JsonMapper json, Clock clock) {
        this.settings = settings;
        this.client = new OpenAiClient(settings.baseUrl(), settings.apiKey(), settings.connectTimeout(),
                settings.tokenTimeout(), json);
        this.info = new ModelInfo(settings.model(), "remote", 0, settings.contextLength(), "remote", 0, "server");
        var breaker = settings.circuitBreaker();
        this.circuitBreaker = CircuitBreaker.of("inference-server", CircuitBreakerConfig.custom()
                .clock(clock)
                .failureRateThreshold((float) (breaker.failureRate() * 100))
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.window())
                .minimumNumberOfCalls(Math.min(breaker.minimumCalls(), breaker.window()))
                .waitDurationInOpenState(breaker.openFor())
                .permittedNumberOfCallsInHalfOpenState(1)
                .recordException(RemoteLanguageModel::serverFault)
                .build());
        this.retry = Retry.of("inference-server", RetryConfig.custom()
                .maxAttempts(settings.attempts())
                .intervalFunction(IntervalFunction.ofExponentialBackoff(settings.retryBackoff(), 2))
                .retryOnException(RemoteLanguageModel::serverFault)
                .failAfterMaxAttempts(false)
                .build());
        this.watchdogs = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon()
                .name("inference-server-watchdog").factory());
    }

    private static boolean serverFault(Throwable e) {
        return e instanceof OpenAiClient.ServerException s && s.serverFault();
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    /** The circuit breaker's state: CLOSED (calls go through), OPEN (they fail at once), HALF_OPEN (one trial). */
    public CircuitBreaker.State circuitState() {
        return circuitBreaker.getState();
    }

    public CircuitBreaker.Metrics circuitMetrics() {
        return circuitBreaker.getMetrics();
    }

    public java.net.URI baseUrl() {
        return client.baseUrl();
    }

    /** For admins: a problem with the server's answers (no log-probabilities), or empty. */
    public String notice() {
        return notice.get();
    }

    /**
     * An estimate: the OpenAI API has no tokenizer endpoint. Three bytes of UTF-8 per token (Spanish and English
     * text runs at about four with the Qwen and Llama vocabularies) plus the chat template's few tokens per message,
     * so history is trimmed a little early rather than overflowing the server's window.
     */
    @Override
    public int countTokens(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Chat chat -> chat.messages().stream()
                    .mapToInt(m -> 8 + estimate(m.content())).sum() + 4;
            case Prompt.Raw raw -> estimate(raw.text()) + 1;
            case Prompt.Tokens tokens -> tokens.ids().length;
        };
    }

    private static int estimate(String text) {
        return (text.getBytes(StandardCharsets.UTF_8).length + 2) / 3;
    }

    @Override
    public CompletableFuture<Completion> generate(GenerationRequest request, TokenListener listener) {
        CompletableFuture<Completion> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new GenerationException("the remote model is closed"));
            return future;
        }
        if (!circuitBreaker.tryAcquirePermission()) {
            future.completeExceptionally(unavailable(CallNotPermittedException.createCallNotPermittedException(
                    circuitBreaker)));
            return future;
        }
        Thread.ofVirtual().name("inference-server-call").start(() -> run(request, listener, future));
        return future;
    }

    private void run(GenerationRequest request, TokenListener listener, CompletableFuture<Completion> future) {
        long start = circuitBreaker.getCurrentTimestamp();
        Call call = new Call(request, listener, future);
        var watchdog = watchdogs.scheduleAtFixedRate(call::watch, 1, 1, TimeUnit.SECONDS);
        try {
            Completion completion = Retry.decorateCheckedSupplier(retry, call::attempt).get();
            circuitBreaker.onSuccess(circuitBreaker.getCurrentTimestamp() - start, circuitBreaker.getTimestampUnit());
            if (Double.isNaN(completion.meanLogProb()) && completion.completionTokens() > 0) noLogprobs();
            future.complete(completion);
        } catch (Throwable e) {
            long took = circuitBreaker.getCurrentTimestamp() - start;
            if (future.isCancelled() && call.answered()) {
                // the assistant stopped a stream the server was writing (a hold-back check, a withdrawn draft):
                // the server did its job, so this is no failure, and a trial call in HALF_OPEN closes the circuit
                circuitBreaker.onSuccess(took, circuitBreaker.getTimestampUnit());
            } else if (future.isDone()) {
                circuitBreaker.releasePermission(); // cancelled or timed out by the caller: no verdict on the server
            } else {
                circuitBreaker.onError(took, circuitBreaker.getTimestampUnit(), e);
                future.completeExceptionally(translate(e, request));
            }
        } finally {
            watchdog.cancel(false);
        }
    }

    private void noLogprobs() {
        String text = "The inference server at " + client.baseUrl() + " sends no token log-probabilities (logprobs), "
                + "so answer confidence falls back to the retrieval score alone. Use a server that supports logprobs "
                + "(vLLM, llama.cpp's llama-server, inference-core serve) for model-based confidence.";
        notice.set(text);
        if (warnedNoLogprobs.compareAndSet(false, true)) log.warn(text);
    }

    private GenerationException translate(Throwable e, GenerationRequest request) {
        if (e instanceof OpenAiClient.ServerException s) {
            if ("context_length_exceeded".equals(s.code())) {
                return new ContextOverflowException(countTokens(request.prompt()), settings.contextLength());
            }
            return new GenerationException("the inference server failed"
                    + (s.serverFault() && settings.attempts() > 1 ? " (after " + settings.attempts() + " tries)" : "")
                    + ": " + s.getMessage(), s);
        }
        if (e instanceof GenerationException g) return g;
        return new GenerationException("calling the inference server failed: " + e, e);
    }

    private GenerationException unavailable(CallNotPermittedException e) {
        return new GenerationException("the inference server at " + client.baseUrl() + " is unavailable: it failed "
                + "repeatedly, so the circuit breaker is open for " + settings.circuitBreaker().openFor().toSeconds()
                + " s; conversations go to agents until a trial call succeeds", e);
    }

    @Override
    public void close() {
        closed = true;
        watchdogs.shutdownNow();
    }

    /** One generation: its attempts, its stream, and the watchdog's view of it. */
    private final class Call {
        private final GenerationRequest request;
        private final TokenListener listener;
        private final CompletableFuture<Completion> future;
        private final long startNanos = System.nanoTime();
        private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
        private final AtomicReference<InputStream> stream = new AtomicReference<>();
        private volatile boolean streaming;
        private volatile boolean answered;
        private volatile String stalled;

        Call(GenerationRequest request, TokenListener listener, CompletableFuture<Completion> future) {
            this.request = request;
            this.listener = listener;
            this.future = future;
        }

        /** Whether the server sent at least one event of the answer. */
        boolean answered() {
            return answered;
        }

        /** Closes the stream of an answer that was cancelled, ran out of time, or went silent. */
        void watch() {
            long now = System.nanoTime();
            if (now - startNanos > request.timeout().toNanos()) {
                future.completeExceptionally(new GenerationException("the inference server did not finish within "
                        + request.timeout().toSeconds() + " s"));
            } else if (streaming && now - lastActivity.get() > settings.tokenTimeout().toNanos()) {
                stalled = "the inference server went silent for more than " + settings.tokenTimeout().toSeconds()
                        + " s in the middle of an answer";
            }
            if (future.isDone() || stalled != null) {
                InputStream in = stream.get();
                if (in != null) {
                    try {
                        in.close();
                    } catch (IOException ignored) {
                        // closing is only to unblock the reader
                    }
                }
            }
        }

        Completion attempt() throws IOException, InterruptedException {
            if (future.isDone()) throw new GenerationException("cancelled");
            boolean chat = request.prompt() instanceof Prompt.Chat;
            Map<String, Object> body = body(chat);
            Answer answer = new Answer(listener);
            long sent = System.nanoTime();
            try {
                client.stream(chat ? "chat/completions" : "completions", body, in -> {
                    stream.set(in);
                    streaming = true;
                }, event -> {
                    lastActivity.set(System.nanoTime());
                    answered = true;
                    if (answer.accept(event, chat) && future.isDone()) {
                        throw new GenerationException("cancelled");
                    }
                });
            } catch (IOException e) {
                if (stalled != null) throw new OpenAiClient.ServerException(0, "stalled", stalled);
                // once tokens reached the customer, a retry would repeat them: fail instead
                if (answer.started()) throw new GenerationException("the answer broke off: " + e.getMessage(), e);
                throw e;
            }
            return answer.completion(sent);
        }

        private Map<String, Object> body(boolean chat) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("model", settings.model());
            if (chat) {
                List<Map<String, String>> messages = new ArrayList<>();
                for (ChatMessage m : ((Prompt.Chat) request.prompt()).messages()) {
                    messages.add(Map.of("role", m.role().name().toLowerCase(Locale.ROOT), "content", m.content()));
                }
                body.put("messages", messages);
                body.put("logprobs", true);
                body.put("top_logprobs", ALTERNATIVES);
                if (settings.thinkingOff()) body.put("chat_template_kwargs", Map.of("enable_thinking", false));
            } else {
                body.put("prompt", switch (request.prompt()) {
                    case Prompt.Raw raw -> raw.text();
                    case Prompt.Tokens tokens -> java.util.Arrays.stream(tokens.ids()).boxed().toList();
                    case Prompt.Chat c -> throw new IllegalStateException("chat prompts go to chat/completions");
                });
                body.put("logprobs", ALTERNATIVES);
            }
            var sampling = request.sampling();
            body.put("temperature", sampling.temperature());
            body.put("top_p", sampling.topP());
            body.put("seed", sampling.seed());
            body.put("max_tokens", request.maxTokens());
            if (!request.stopStrings().isEmpty()) body.put("stop", request.stopStrings());
            body.put("stream", true);
            body.put("stream_options", Map.of("include_usage", true));
            return body;
        }
    }

    /** The answer as its chunks arrive: text, tokens with log-probabilities, usage and the finish reason. */
    private static final class Answer {
        private final TokenListener listener;
        private final StringBuilder text = new StringBuilder();
        private final List<GeneratedToken> tokens = new ArrayList<>();
        private int promptTokens = -1;
        private int completionTokens = -1;
        private String finishReason;
        private long firstTokenNanos;
        private boolean sawLogprobs;

        Answer(TokenListener listener) {
            this.listener = listener;
        }

        boolean started() {
            return !tokens.isEmpty();
        }

        /** @return true when the event carried tokens */
        boolean accept(JsonNode event, boolean chat) {
            JsonNode usage = event.path("usage");
            if (usage.isObject()) {
                promptTokens = usage.path("prompt_tokens").asInt(-1);
                completionTokens = usage.path("completion_tokens").asInt(-1);
            }
            boolean any = false;
            for (JsonNode choice : event.path("choices")) {
                if (choice.path("finish_reason").isString()) finishReason = choice.path("finish_reason").asString();
                String piece = chat ? choice.path("delta").path("content").asString("")
                        : choice.path("text").asString("");
                List<Logprob> logprobs = chat ? chatLogprobs(choice.path("logprobs"))
                        : textLogprobs(choice.path("logprobs"));
                if (piece.isEmpty() && logprobs.isEmpty()) continue;
                emit(piece, logprobs);
                any = true;
            }
            return any;
        }

        private record Logprob(String token, double logProb, List<TokenCandidate> alternatives) {
        }

        private static List<Logprob> chatLogprobs(JsonNode logprobs) {
            List<Logprob> out = new ArrayList<>();
            for (JsonNode t : logprobs.path("content")) {
                List<TokenCandidate> alternatives = new ArrayList<>();
                for (JsonNode a : t.path("top_logprobs")) {
                    alternatives.add(new TokenCandidate(-1, a.path("token").asString(""), a.path("logprob").asDouble()));
                }
                out.add(new Logprob(t.path("token").asString(""), t.path("logprob").asDouble(), alternatives));
            }
            return out;
        }

        private static List<Logprob> textLogprobs(JsonNode logprobs) {
            List<Logprob> out = new ArrayList<>();
            JsonNode tokens = logprobs.path("tokens"), values = logprobs.path("token_logprobs");
            JsonNode top = logprobs.path("top_logprobs");
            for (int i = 0; i < tokens.size(); i++) {
                List<TokenCandidate> alternatives = new ArrayList<>();
                for (var e : top.path(i).properties()) {
                    alternatives.add(new TokenCandidate(-1, e.getKey(), e.getValue().asDouble()));
                }
                out.add(new Logprob(tokens.path(i).asString(""), values.path(i).asDouble(), alternatives));
            }
            return out;
        }

        /**
         * One token per log-probability entry when their texts spell the chunk's text; otherwise the chunk is one
         * token carrying the first entry's numbers. Without entries, a token with NaN log-probability.
         */
        private void emit(String piece, List<Logprob> logprobs) {
            if (firstTokenNanos == 0) firstTokenNanos = System.nanoTime();
            text.append(piece);
            if (logprobs.isEmpty()) {
                token(piece, Double.NaN, List.of());
                return;
            }
            sawLogprobs = true;
            String spelled = String.join("", logprobs.stream().map(Logprob::token).toList());
            if (spelled.equals(piece)) {
                for (Logprob l : logprobs) token(l.token(), l.logProb(), l.alternatives());
            } else {
                token(piece, logprobs.getFirst().logProb(), logprobs.getFirst().alternatives());
                for (Logprob l : logprobs.subList(1, logprobs.size())) token("", l.logProb(), l.alternatives());
            }
        }

        private void token(String piece, double logProb, List<TokenCandidate> alternatives) {
            GeneratedToken token = new GeneratedToken(-1, piece, logProb, alternatives, entropy(alternatives));
            tokens.add(token);
            listener.onToken(token);
        }

        /** The entropy of the top alternatives, renormalised: a lower bound of the full distribution's. */
        private static double entropy(List<TokenCandidate> alternatives) {
            if (alternatives.isEmpty()) return Double.NaN;
            double total = 0, h = 0;
            for (TokenCandidate c : alternatives) total += Math.exp(c.logProb());
            for (TokenCandidate c : alternatives) {
                double p = Math.exp(c.logProb()) / total;
                if (p > 0) h -= p * Math.log(p);
            }
            return h;
        }

        Completion completion(long sentNanos) {
            long end = System.nanoTime();
            long first = firstTokenNanos == 0 ? end : firstTokenNanos;
            double sum = 0, min = 1;
            int counted = 0;
            for (GeneratedToken t : tokens) {
                if (Double.isNaN(t.logProb())) continue;
                sum += t.logProb();
                min = Math.min(min, t.probability());
                counted++;
            }
            boolean measured = sawLogprobs && counted > 0;
            StopReason reason = switch (finishReason == null ? "" : finishReason) {
                case "length" -> StopReason.MAX_TOKENS;
                default -> StopReason.END_OF_GENERATION;
            };
            int completion = completionTokens >= 0 ? completionTokens : tokens.size();
            return new Completion(text.toString(), tokens, Math.max(0, promptTokens), completion,
                    measured ? sum / counted : tokens.isEmpty() ? 0 : Double.NaN,
                    measured ? min : tokens.isEmpty() ? 1 : Double.NaN, reason,
                    Duration.ofNanos(first - sentNanos), Duration.ofNanos(end - first));
        }
    }
}
