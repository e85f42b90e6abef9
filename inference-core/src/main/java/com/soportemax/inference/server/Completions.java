package com.soportemax.inference.server;

import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.ContextOverflowException;
import com.soportemax.inference.engine.GeneratedToken;
import com.soportemax.inference.engine.GenerationException;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.inference.engine.SamplingSettings;
import com.soportemax.inference.engine.StopReason;
import com.soportemax.inference.engine.TokenCandidate;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code /v1/chat/completions} and {@code /v1/completions}: OpenAI's request fields mapped onto a
 * {@link GenerationRequest}, the answer written whole or as a stream of chunks.
 */
final class Completions {

    /** As OpenAI: up to 20 alternatives per token. */
    static final int MAX_TOP_LOGPROBS = GenerationRequest.MAX_ALTERNATIVES;

    private enum Api { CHAT, TEXT }

    /** What one request asks for, validated. */
    private record Call(Api api, Prompt prompt, GenerationRequest generation, boolean stream, boolean includeUsage,
                        boolean logprobs, int topLogprobs) {
    }

    /** An event on the way from the generating thread to the request's thread. */
    private sealed interface Event {
        record Token(GeneratedToken token) implements Event {
        }

        record Finished() implements Event {
        }
    }

    private static final SecureRandom IDS = new SecureRandom();

    private final LanguageModel model;
    private final OpenAiServer.Settings settings;
    private final ServerMetrics metrics;
    private final Clock clock;
    private final String fingerprint;

    Completions(LanguageModel model, OpenAiServer.Settings settings, ServerMetrics metrics, Clock clock) {
        this.model = model;
        this.settings = settings;
        this.metrics = metrics;
        this.clock = clock;
        var info = model.info();
        this.fingerprint = "soportemax-" + info.architecture() + "-" + info.quantization().toLowerCase();
    }

    long created() {
        return clock.instant().getEpochSecond();
    }

    int chat(HttpExchange exchange, RequestBody body) throws IOException {
        return run(exchange, parse(Api.CHAT, body));
    }

    int text(HttpExchange exchange, RequestBody body) throws IOException {
        return run(exchange, parse(Api.TEXT, body));
    }

    private Call parse(Api api, RequestBody body) {
        body.string("model").ifPresent(name -> {
            if (!name.equals(settings.modelId())) throw OpenAiServer.modelNotFound(name);
        });
        if (body.integer("n", 1, 128).orElse(1) != 1) {
            throw ApiException.invalid("n", "Invalid 'n': this server generates one choice per request; send n = 1.");
        }
        for (String unsupported : List.of("tools", "functions", "tool_choice", "function_call", "logit_bias", "suffix")) {
            Object v = body.raw(unsupported);
            if (v != null && !(v instanceof List<?> l && l.isEmpty()) && !(v instanceof Map<?, ?> m && m.isEmpty())
                    && !"none".equals(v)) {
                throw ApiException.invalid(unsupported, "'" + unsupported + "' is not supported by this server.");
            }
        }
        for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
            if (body.decimal(penalty, 0, -2, 2) != 0) {
                throw ApiException.invalid(penalty, "'" + penalty + "' other than 0 is not supported by this server; "
                        + "use 'repetition_penalty' (1 = off) instead.");
            }
        }
        if (api == Api.TEXT && body.bool("echo", false)) {
            throw ApiException.invalid("echo", "'echo' is not supported by this server.");
        }
        body.object("response_format").ifPresent(format -> {
            String type = format.string("type").orElse("text");
            if (!type.equals("text")) {
                throw ApiException.invalid("response_format", "response_format '" + type + "' is not supported by this "
                        + "server; only 'text'.");
            }
        });

        Prompt prompt = api == Api.CHAT ? Prompt.chat(messages(body)) : textPrompt(body);

        double temperature = body.decimal("temperature", 1.0, 0, 2);
        double topP = body.decimal("top_p", 1.0, 0, 1);
        if (topP == 0) throw ApiException.invalid("top_p", "Invalid 'top_p': must be greater than 0.");
        int topK = (int) body.integer("top_k", 0, 1 << 20).orElse(0);
        double minP = body.decimal("min_p", 0, 0, 0.999);
        double repetitionPenalty = body.decimal("repetition_penalty", 1, 0.01, 10);
        long seed = body.integer("seed", Long.MIN_VALUE, Long.MAX_VALUE).orElse(IDS.nextLong());
        var sampling = new SamplingSettings(temperature, topK, topP, minP, repetitionPenalty, 64, seed);

        String maxField = body.has("max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
        int maxTokens = (int) body.integer(maxField, 1, Integer.MAX_VALUE).orElse(settings.defaultMaxTokens());
        List<String> stop = body.strings("stop", 4);

        boolean logprobs;
        int topLogprobs;
        if (api == Api.CHAT) {
            logprobs = body.bool("logprobs", false);
            topLogprobs = (int) body.integer("top_logprobs", 0, 20).orElse(0);
            if (body.has("top_logprobs") && !logprobs) {
                throw ApiException.invalid("top_logprobs", "'top_logprobs' needs 'logprobs' set to true.");
            }
        } else {
            // the legacy completions API: logprobs is the number of alternatives (0 = only the chosen token's)
            var n = body.integer("logprobs", 0, 20);
            logprobs = n.isPresent();
            topLogprobs = (int) n.orElse(0);
        }
        if (topLogprobs > MAX_TOP_LOGPROBS) {
            String field = api == Api.CHAT ? "top_logprobs" : "logprobs";
            throw ApiException.invalid(field, "Invalid '" + field + "': this server returns at most "
                    + MAX_TOP_LOGPROBS + " alternatives per token; ask for " + MAX_TOP_LOGPROBS + " or fewer.");
        }
        boolean stream = body.bool("stream", false);
        boolean includeUsage = body.object("stream_options").map(o -> o.bool("include_usage", false)).orElse(false);
        if (body.has("stream_options") && !stream) {
            throw ApiException.invalid("stream_options", "'stream_options' is only allowed when 'stream' is true.");
        }
        var generation = new GenerationRequest(prompt, sampling, maxTokens, stop, settings.timeout())
                .withAlternatives(topLogprobs);
        // an extension: requests of one conversation name it, and the engine keeps its KV cache between turns
        Optional<String> session = body.string("session").filter(k -> !k.isBlank());
        if (session.isPresent()) generation = generation.withSession(session.get());
        return new Call(api, prompt, generation, stream, includeUsage, logprobs, topLogprobs);
    }

    private static List<ChatMessage> messages(RequestBody body) {
        Object raw = body.raw("messages");
        if (raw == null) throw ApiException.missing("messages");
        if (!(raw instanceof List<?> list) || list.isEmpty()) {
            throw ApiException.invalid("messages", "Invalid 'messages': expected a non-empty array of messages.");
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String at = "messages[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw ApiException.invalid(at, "Invalid '" + at + "': expected an object.");
            }
            @SuppressWarnings("unchecked")
            RequestBody message = new RequestBody((Map<String, Object>) m);
            String role = message.raw("role") instanceof String s ? s : null;
            ChatMessage.Role r = switch (role == null ? "" : role) {
                case "system", "developer" -> ChatMessage.Role.SYSTEM;
                case "user" -> ChatMessage.Role.USER;
                case "assistant" -> ChatMessage.Role.ASSISTANT;
                default -> throw ApiException.invalid(at + ".role", "Invalid '" + at + ".role': "
                        + (role == null ? "missing" : "'" + role + "'")
                        + "; supported roles are system, developer, user and assistant.");
            };
            messages.add(new ChatMessage(r, content(message.raw("content"), at + ".content")));
        }
        return messages;
    }

    /** A message's content: a string, or an array of {@code {"type": "text", "text": ...}} parts. */
    private static String content(Object content, String at) {
        if (content instanceof String s) return s;
        if (content instanceof List<?> parts) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < parts.size(); i++) {
                if (!(parts.get(i) instanceof Map<?, ?> part) || !"text".equals(part.get("type"))
                        || !(part.get("text") instanceof String s)) {
                    throw ApiException.invalid(at + "[" + i + "]", "Invalid '" + at + "[" + i + "]': only text parts "
                            + "({\"type\": \"text\", \"text\": \"...\"}) are supported.");
                }
                text.append(s);
            }
            return text.toString();
        }
        throw ApiException.invalid(at, content == null ? "Missing required parameter: '" + at + "'."
                : "Invalid type for '" + at + "': expected a string or an array of text parts, but got "
                + RequestBody.kind(content) + ".");
    }

    /** One string, an array of one string, or an array of token ids. */
    private static Prompt textPrompt(RequestBody body) {
        Object raw = body.raw("prompt");
        if (raw == null) throw ApiException.missing("prompt");
        if (raw instanceof List<?> list && !list.isEmpty() && list.stream().allMatch(o -> o instanceof BigDecimal)) {
            int[] ids = new int[list.size()];
            for (int i = 0; i < ids.length; i++) {
                BigDecimal d = (BigDecimal) list.get(i);
                if (d.scale() > 0 || d.signum() < 0 || d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                    throw ApiException.invalid("prompt", "Invalid 'prompt': item " + i + " is not a token id.");
                }
                ids[i] = d.intValue();
            }
            return Prompt.tokens(ids);
        }
        List<String> prompts = body.strings("prompt", 1);
        if (prompts.isEmpty()) throw ApiException.invalid("prompt", "Invalid 'prompt': expected one string.");
        return Prompt.raw(prompts.getFirst());
    }

    private int run(HttpExchange exchange, Call call) throws IOException {
        String id = (call.api() == Api.CHAT ? "chatcmpl-" : "cmpl-") + HexFormat.of().formatHex(randomBytes());
        long created = created();
        long start = System.nanoTime();
        LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
        AtomicBoolean first = new AtomicBoolean(true);
        metrics.generationStarted();
        CompletableFuture<Completion> future = model.generate(call.generation(), token -> {
            if (first.compareAndSet(true, false)) {
                metrics.firstToken(System.nanoTime() - start);
            }
            events.add(new Event.Token(token));
        });
        future.whenComplete((c, e) -> {
            metrics.generationFinished(!first.get(), c == null ? 0 : c.promptTokens(), c == null ? 0 : c.completionTokens());
            events.add(new Event.Finished());
        });
        if (future.isCompletedExceptionally()) {
            throw failure(future, call.api()); // refused at once (prompt too long, queue full): a plain HTTP error
        }
        try {
            return call.stream() ? stream(exchange, call, id, created, future, events)
                    : whole(exchange, call, id, created, future);
        } catch (IOException e) {
            future.cancel(false); // the client went away: stop generating for it
            throw e;
        }
    }

    private int whole(HttpExchange exchange, Call call, String id, long created, CompletableFuture<Completion> future)
            throws IOException {
        Completion c = await(future, call.api());
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        if (call.api() == Api.CHAT) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("role", "assistant");
            message.put("content", c.text());
            message.put("refusal", null);
            choice.put("message", message);
            choice.put("logprobs", call.logprobs() ? chatLogprobs(c.tokens(), call.topLogprobs()) : null);
        } else {
            choice.put("text", c.text());
            choice.put("logprobs", call.logprobs() ? textLogprobs(c.tokens(), call.topLogprobs(), 0) : null);
        }
        choice.put("finish_reason", finishReason(c.stopReason()));
        Map<String, Object> answer = envelope(call, id, created);
        answer.put("choices", List.of(choice));
        answer.put("usage", usage(c));
        return Responses.json(exchange, 200, answer);
    }

    private int stream(HttpExchange exchange, Call call, String id, long created, CompletableFuture<Completion> future,
                       LinkedBlockingQueue<Event> events) throws IOException {
        var out = new Responses.EventStream(exchange);
        if (call.api() == Api.CHAT) {
            Map<String, Object> opening = new LinkedHashMap<>();
            opening.put("role", "assistant");
            opening.put("content", "");
            out.send(chunk(call, id, created, opening, null, null));
        }
        int textOffset = 0;
        while (true) {
            Event event;
            try {
                event = events.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                future.cancel(false);
                throw new IOException("interrupted");
            }
            if (event == null) continue;
            if (event instanceof Event.Finished) break;
            GeneratedToken token = ((Event.Token) event).token();
            if (token.text().isEmpty() && !call.logprobs()) continue;
            if (call.api() == Api.CHAT) {
                out.send(chunk(call, id, created, Map.of("content", token.text()),
                        call.logprobs() ? chatLogprobs(List.of(token), call.topLogprobs()) : null, null));
            } else {
                out.send(chunk(call, id, created, token.text(),
                        call.logprobs() ? textLogprobs(List.of(token), call.topLogprobs(), textOffset) : null, null));
            }
            textOffset += token.text().length();
        }
        Completion c;
        try {
            c = await(future, call.api());
        } catch (ApiException e) {
            // the status line is gone: the failure becomes the last event, as OpenAI's streams end on errors
            out.send(Responses.error(e));
            out.done();
            return 200;
        }
        out.send(chunk(call, id, created, call.api() == Api.CHAT ? Map.of() : "", null, finishReason(c.stopReason())));
        if (call.includeUsage()) {
            Map<String, Object> last = envelope(call, id, created);
            last.put("choices", List.of());
            last.put("usage", usage(c));
            out.send(last);
        }
        out.done();
        return 200;
    }

    private Map<String, Object> envelope(Call call, String id, long created) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("object", switch (call.api()) {
            case CHAT -> call.stream() ? "chat.completion.chunk" : "chat.completion";
            case TEXT -> "text_completion";
        });
        m.put("created", created);
        m.put("model", settings.modelId());
        m.put("system_fingerprint", fingerprint);
        return m;
    }

    /** @param delta the chat delta object, or the text of a completions chunk */
    private Map<String, Object> chunk(Call call, String id, long created, Object delta, Object logprobs,
                                      String finishReason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put(call.api() == Api.CHAT ? "delta" : "text", delta);
        choice.put("logprobs", logprobs);
        choice.put("finish_reason", finishReason);
        Map<String, Object> m = envelope(call, id, created);
        m.put("choices", List.of(choice));
        if (call.includeUsage()) m.put("usage", null);
        return m;
    }

    private static Map<String, Object> usage(Completion c) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("prompt_tokens", c.promptTokens());
        u.put("completion_tokens", c.completionTokens());
        u.put("total_tokens", c.promptTokens() + c.completionTokens());
        return u;
    }

    /** Chat's {@code logprobs}: {@code {"content": [{token, logprob, bytes, top_logprobs}], "refusal": null}}. */
    private static Map<String, Object> chatLogprobs(List<GeneratedToken> tokens, int top) {
        List<Object> content = new ArrayList<>();
        for (GeneratedToken t : tokens) {
            Map<String, Object> entry = logprob(t.text(), t.logProb());
            List<Object> alternatives = new ArrayList<>();
            for (TokenCandidate c : t.alternatives().subList(0, Math.min(top, t.alternatives().size()))) {
                alternatives.add(logprob(c.text(), c.logProb()));
            }
            entry.put("top_logprobs", alternatives);
            content.add(entry);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("content", content);
        m.put("refusal", null);
        return m;
    }

    private static Map<String, Object> logprob(String token, double logProb) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", token);
        m.put("logprob", logProb);
        byte[] utf8 = token.getBytes(StandardCharsets.UTF_8);
        List<Integer> bytes = new ArrayList<>(utf8.length);
        for (byte b : utf8) bytes.add(b & 0xFF);
        m.put("bytes", bytes);
        return m;
    }

    /** The legacy completions {@code logprobs}: parallel arrays, alternatives as token-to-logprob maps. */
    private static Map<String, Object> textLogprobs(List<GeneratedToken> tokens, int top, int offset) {
        List<Object> texts = new ArrayList<>(), logprobs = new ArrayList<>(), alternatives = new ArrayList<>(),
                offsets = new ArrayList<>();
        for (GeneratedToken t : tokens) {
            texts.add(t.text());
            logprobs.add(t.logProb());
            Map<String, Object> alts = new LinkedHashMap<>();
            for (TokenCandidate c : t.alternatives().subList(0, Math.min(top, t.alternatives().size()))) {
                alts.putIfAbsent(c.text(), c.logProb());
            }
            alternatives.add(alts);
            offsets.add(offset);
            offset += t.text().length();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokens", texts);
        m.put("token_logprobs", logprobs);
        m.put("top_logprobs", alternatives);
        m.put("text_offset", offsets);
        return m;
    }

    private static String finishReason(StopReason reason) {
        return switch (reason) {
            case MAX_TOKENS, CONTEXT_FULL -> "length";
            case END_OF_GENERATION, STOP_STRING, CANCELLED -> "stop";
        };
    }

    private static Completion await(CompletableFuture<Completion> future, Api api) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(false);
            throw new ApiException(503, "server_error", null, null, "The server is shutting down; retry.");
        } catch (ExecutionException | CancellationException e) {
            throw failure(future, api);
        }
    }

    /** The API error for a failed generation. */
    private static ApiException failure(CompletableFuture<Completion> future, Api api) {
        Throwable cause;
        try {
            future.join();
            throw new IllegalStateException("the generation did not fail");
        } catch (CancellationException e) {
            cause = e;
        } catch (java.util.concurrent.CompletionException e) {
            cause = e.getCause();
        }
        return switch (cause) {
            case ContextOverflowException o -> new ApiException(400, "invalid_request_error",
                    api == Api.CHAT ? "messages" : "prompt",
                    "context_length_exceeded", "This model's maximum context length is " + o.contextLength()
                    + " tokens, but your prompt has " + o.promptTokens() + " tokens. Shorten the " + (api == Api.CHAT ? "messages." : "prompt."));
            case GenerationException g -> new ApiException(503, "server_error", null, "engine_overloaded",
                    g.getMessage());
            case CancellationException c -> new ApiException(503, "server_error", null, null,
                    "The generation was cancelled.");
            default -> new ApiException(500, "server_error", null, null, "The generation failed: " + cause);
        };
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[12];
        IDS.nextBytes(b);
        return b;
    }
}
