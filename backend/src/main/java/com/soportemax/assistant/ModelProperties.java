package com.soportemax.assistant;

import com.soportemax.shared.models.ModelReference;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Which language model the assistant runs and where it comes from.
 *
 * @param model            a GGUF file path, {@code hf:owner/repo/file.gguf} (downloaded once into the cache), or
 *                         {@code none} for retrieval-only mode
 * @param modelCache       where downloaded models are kept
 * @param modelSha256      optional expected SHA-256 of the model file; otherwise the hub's published one is used
 * @param modelHub         the Hugging Face hub (or a mirror) that {@code hf:} references are fetched from
 * @param modelLoadTimeout download plus load must finish within this, or the assistant stays retrieval-only
 */
@ConfigurationProperties("soportemax")
public record ModelProperties(
        @DefaultValue(DEFAULT_MODEL) String model,
        @DefaultValue("data/models") Path modelCache,
        String modelSha256,
        @DefaultValue("https://huggingface.co") URI modelHub,
        @DefaultValue("30m") Duration modelLoadTimeout) {

    /** Qwen2.5 0.5B Instruct, 8-bit: small enough for a 2-core server, multilingual. */
    public static final String DEFAULT_MODEL = "hf:Qwen/Qwen2.5-0.5B-Instruct-GGUF/qwen2.5-0.5b-instruct-q8_0.gguf";

    public ModelProperties {
        ModelReference.parse(model);
        if (modelSha256 != null && !modelSha256.isBlank()) {
            modelSha256 = modelSha256.strip().toLowerCase(Locale.ROOT);
            if (!modelSha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("soportemax.model-sha256 must be 64 hexadecimal digits, was '"
                        + modelSha256 + "'");
            }
        } else {
            modelSha256 = null;
        }
        if (modelLoadTimeout == null || modelLoadTimeout.isNegative() || modelLoadTimeout.isZero()) {
            throw new IllegalArgumentException("soportemax.model-load-timeout must be positive, e.g. 30m");
        }
    }

    ModelReference reference() {
        return ModelReference.parse(model);
    }
}
