package com.soportemax.assistant.remote;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;

/**
 * Where the assistant's language model runs: {@code embedded} (in this process, {@code soportemax.model}) or
 * {@code remote}, an OpenAI-compatible server (our own {@code inference-core serve}, vLLM, llama.cpp's
 * {@code llama-server}, Ollama). The API key comes from the environment ({@code SOPORTEMAX_INFERENCE_API_KEY}).
 *
 * @param baseUrl        the API root, ending in {@code /v1}, e.g. {@code http://inference:8080/v1}
 * @param model          the model name the server knows (its {@code /v1/models} id)
 * @param contextLength  the server's context window, for trimming the conversation history
 * @param connectTimeout the longest a connection may take to open
 * @param tokenTimeout   the longest the server may stay silent: before the answer starts and between two tokens
 * @param attempts       tries of a request that fails before any token arrived (1 = no retry)
 * @param retryBackoff   wait before the first retry; it doubles for each further one
 * @param thinkingOff    send {@code chat_template_kwargs: {enable_thinking: false}} (vLLM, llama-server), so
 *                       Qwen3-style models answer without reasoning first
 * @param circuitBreaker when to stop calling a server that keeps failing
 * @param embeddings     where sentence embeddings are computed (same choices)
 */
@Validated
@ConfigurationProperties("soportemax.inference")
public record InferenceSettings(
        @DefaultValue("embedded") @NotNull Mode mode,
        URI baseUrl,
        String apiKey,
        String model,
        @DefaultValue("4096") @Min(256) int contextLength,
        @DefaultValue("5s") Duration connectTimeout,
        @DefaultValue("60s") Duration tokenTimeout,
        @DefaultValue("3") @Min(1) @Max(10) int attempts,
        @DefaultValue("500ms") Duration retryBackoff,
        @DefaultValue("false") boolean thinkingOff,
        @DefaultValue @Valid CircuitBreakerSettings circuitBreaker,
        @DefaultValue @Valid Embeddings embeddings) {

    public enum Mode { EMBEDDED, REMOTE }

    /**
     * @param failureRate    share of failed calls (among the last {@code window}) that opens the circuit
     * @param window         calls the failure rate is measured over
     * @param minimumCalls   calls needed before the rate counts
     * @param openFor        how long conversations go straight to agents before one call tries the server again
     */
    public record CircuitBreakerSettings(
            @DefaultValue("0.5") @DecimalMin("0.01") @DecimalMax("1") double failureRate,
            @DefaultValue("10") @Min(1) int window,
            @DefaultValue("4") @Min(1) int minimumCalls,
            @DefaultValue("30s") Duration openFor) {
    }

    /** The embedding model: embedded (the engine in this process) or remote ({@code POST /v1/embeddings}). */
    public record Embeddings(
            @DefaultValue("embedded") @NotNull Mode mode,
            URI baseUrl,
            String apiKey,
            String model) {

        public Embeddings {
            if (mode == Mode.REMOTE) requireRemote("soportemax.inference.embeddings", baseUrl, model);
        }
    }

    public InferenceSettings {
        if (mode == Mode.REMOTE) requireRemote("soportemax.inference", baseUrl, model);
        requirePositive("connect-timeout", connectTimeout);
        requirePositive("token-timeout", tokenTimeout);
        requirePositive("retry-backoff", retryBackoff);
    }

    private static void requireRemote(String prefix, URI baseUrl, String model) {
        if (baseUrl == null || !("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme()))) {
            throw new IllegalArgumentException(prefix + ".base-url must be the server's http(s) API root, e.g. "
                    + "http://inference:8080/v1, when " + prefix + ".mode is remote");
        }
        if (model == null || model.isBlank()) {
            throw new IllegalArgumentException(prefix + ".model must name the served model (its id in GET "
                    + baseUrl + "/models) when " + prefix + ".mode is remote");
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("soportemax.inference." + name + " must be positive, e.g. 5s");
        }
    }
}
