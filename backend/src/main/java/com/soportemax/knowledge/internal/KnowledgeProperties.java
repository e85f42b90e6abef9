package com.soportemax.knowledge.internal;

import com.soportemax.shared.models.ModelReference;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Settings of the knowledge base ({@code soportemax.knowledge.*}).
 *
 * @param seedOnEmptyDatabase load the bundled seed articles when the database has no article at all
 * @param passageMinChars     passages aim for at least this many characters (an article up to 1.2 × max stays whole)
 * @param passageMaxChars     passages grow by whole paragraphs up to about this many characters, evenly split
 * @param passageOverlapChars the previous passage's last sentence is repeated when it is at most this long
 * @param passagesPerArticle  at most this many passages of one article in one search result
 * @param thesaurus           a Spanish MyThes thesaurus ({@code .dat}), for questions worded with other words than
 *                            the articles'; the default is where Debian's {@code mythes-es} package puts it
 * @param translator          the Apertium command that translates a question into the language of articles written
 *                            in the other one (Debian's {@code apertium-eng-spa}), or {@code none}
 * @param embeddingModel      semantic retrieval's sentence-embedding model: a GGUF file path,
 *                            {@code hf:owner/repo/file.gguf} (downloaded once into {@code embeddingModelCache}, like
 *                            the chat model), or {@code none} for lexical retrieval only
 * @param embeddingModelSha256 optional expected SHA-256 of that file; otherwise the hub's published one is used
 * @param embeddingModelCache where downloaded embedding models are kept
 * @param embeddingModelHub   the Hugging Face hub (or a mirror) that {@code hf:} references are fetched from
 * @param embeddingThreads    kernel threads of the embedding model (0 = all cores); passages are embedded in the
 *                            background with them, so keep it below the cores the chat model needs
 * @param embeddingQueryPrefix put before every question before embedding it; unset = what the model family expects
 *                            (Qwen3-Embedding's retrieval instruction for decoder models, nothing for BERT encoders)
 * @param embeddingPassagePrefix put before every passage before embedding it; unset = nothing
 * @param embeddingLanguage   the language the embedding model reads: {@code any} for a multilingual model (the
 *                            default's), or {@code en} / {@code es} for a model of one language (all-MiniLM-L6-v2 reads
 *                            English): questions and passages written in the other language are then embedded in
 *                            their Apertium translation ({@code translator})
 * @param semanticFloor       cosine similarity at or below which a passage counts as unrelated to the question: a
 *                            passage's semantic relevance is {@code (cosine − floor) / (1 − floor)}, clamped to [0, 1]
 * @param fusionLexicalWeight the lexical ranking's weight in the fusion of the two rankings' standardised scores
 *                            (the semantic one's is 1 minus it); see {@code HybridRanking}
 * @param embeddingCheckInterval how often each node looks for passages without a vector (articles changed on another
 *                            node); a change made on this node is embedded right after it commits
 */
@Validated
@ConfigurationProperties("soportemax.knowledge")
public record KnowledgeProperties(
        @DefaultValue("true") boolean seedOnEmptyDatabase,
        @DefaultValue("600") @Min(100) int passageMinChars,
        @DefaultValue("900") @Min(200) @Max(20_000) int passageMaxChars,
        @DefaultValue("200") @Min(0) int passageOverlapChars,
        @DefaultValue("2") @Min(1) @Max(10) int passagesPerArticle,
        @DefaultValue("/usr/share/mythes/th_es_ES_v2.dat") Path thesaurus,
        @DefaultValue("apertium") String translator,
        @DefaultValue(DEFAULT_EMBEDDING_MODEL) @NotBlank String embeddingModel,
        String embeddingModelSha256,
        @DefaultValue("data/models") @NotNull Path embeddingModelCache,
        @DefaultValue("https://huggingface.co") @NotNull URI embeddingModelHub,
        @DefaultValue("1") @Min(0) @Max(256) int embeddingThreads,
        String embeddingQueryPrefix,
        String embeddingPassagePrefix,
        @DefaultValue("any") @Pattern(regexp = "(?i)any|en|es", message = "must be any, en or es")
        String embeddingLanguage,
        @DefaultValue("0.3") @DecimalMin("-1") @DecimalMax("0.99") double semanticFloor,
        @DefaultValue("0.4") @DecimalMin("0") @DecimalMax("1") double fusionLexicalWeight,
        @DefaultValue("1m") @NotNull Duration embeddingCheckInterval) {

    /**
     * Qwen3-Embedding 0.6B, 8-bit: multilingual (Spanish and English among 100 languages), last-token pooling. The
     * usual small multilingual encoders (multilingual-e5, paraphrase-multilingual-MiniLM) tokenize with an XLM-R
     * SentencePiece unigram vocabulary, which the engine does not read.
     */
    public static final String DEFAULT_EMBEDDING_MODEL =
            "hf:Qwen/Qwen3-Embedding-0.6B-GGUF/Qwen3-Embedding-0.6B-Q8_0.gguf";
    static final String EMBEDDING_MODEL_SETTING = "soportemax.knowledge.embedding-model";

    public KnowledgeProperties {
        ModelReference.parse(EMBEDDING_MODEL_SETTING, embeddingModel);
        if (embeddingModelSha256 != null && !embeddingModelSha256.isBlank()) {
            embeddingModelSha256 = embeddingModelSha256.strip().toLowerCase(Locale.ROOT);
            if (!embeddingModelSha256.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(EMBEDDING_MODEL_SETTING + "-sha256 must be 64 hexadecimal digits, "
                        + "was '" + embeddingModelSha256 + "'");
            }
        } else {
            embeddingModelSha256 = null;
        }
        if (embeddingCheckInterval != null && (embeddingCheckInterval.isNegative() || embeddingCheckInterval.isZero())) {
            throw new IllegalArgumentException("soportemax.knowledge.embedding-check-interval must be positive, e.g. 1m");
        }
    }

    /** The one language the embedding model reads; empty for a multilingual model. */
    java.util.Optional<TextAnalysis.Language> embeddingReads() {
        if (embeddingLanguage == null || embeddingLanguage.equalsIgnoreCase("any")) return java.util.Optional.empty();
        return java.util.Optional.of(TextAnalysis.Language.of(embeddingLanguage));
    }

    ModelReference embeddingReference() {
        return ModelReference.parse(EMBEDDING_MODEL_SETTING, embeddingModel);
    }

    PassageSplitter splitter() {
        return new PassageSplitter(passageMinChars, passageMaxChars, passageOverlapChars);
    }
}
