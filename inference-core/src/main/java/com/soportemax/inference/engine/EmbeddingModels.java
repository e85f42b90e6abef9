package com.soportemax.inference.engine;

import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.model.BertEncoder;
import com.soportemax.inference.model.Pooling;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** Entry point for sentence-embedding models: loads GGUF embedding model files. */
public final class EmbeddingModels {

    private static final String SUPPORTED = "supported are BERT encoders ('bert', mean or [CLS] pooling) and decoder "
            + "embedding models (qwen3, qwen2, llama with pooling_type 3: last token, e.g. Qwen3-Embedding)";

    private EmbeddingModels() {
    }

    /**
     * Memory-maps a GGUF embedding model: a BERT encoder ({@code general.architecture = "bert"}, WordPiece
     * vocabulary, mean or [CLS] pooling), or a decoder embedding model ({@code qwen3}, {@code qwen2} or
     * {@code llama} with {@code <arch>.pooling_type} = 3: the last token's hidden state, as Qwen3-Embedding).
     * {@code options.threads()} sets the kernel threads and {@code options.contextLength()} (0 = the model's) the
     * most tokens a text is cut to.
     *
     * @throws ModelFileException when the file is no embedding model (a chat model, say), or is truncated or
     *                            corrupt; the message names the file and the key or tensor at fault
     * @throws IOException        when the file cannot be read
     */
    public static EmbeddingModel load(Path gguf, EngineOptions options) throws IOException {
        return ModelFiles.load(gguf, options, file -> {
            String architecture = file.requireString("general.architecture");
            String name = file.string("general.name").orElse(gguf.getFileName().toString());
            Tokenizer tokenizer = Tokenizer.fromMetadata(file.metadata());
            EmbeddingBackbone backbone;
            int opening, closing;
            ModelInfo info;
            Set<GgmlType> types;
            if (architecture.equals("bert")) {
                BertEncoder encoder = BertEncoder.load(file);
                if (!tokenizer.model().equals("bert") || tokenizer.bosToken() < 0 || tokenizer.separatorToken() < 0) {
                    throw new ModelFormatException("tokenizer.ggml.model: a BERT encoder needs a WordPiece ('bert') "
                            + "vocabulary with [CLS] and [SEP] tokens, found '" + tokenizer.model() + "'");
                }
                if (tokenizer.vocabularySize() != encoder.vocabularySize()) {
                    throw new ModelFormatException("tokenizer.ggml.tokens has " + tokenizer.vocabularySize()
                            + " tokens but token_embd.weight has " + encoder.vocabularySize() + " rows");
                }
                backbone = new EmbeddingBackbone.Encoder(encoder);
                opening = tokenizer.bosToken();
                closing = tokenizer.separatorToken();
                types = encoder.weightTypes();
                info = new ModelInfo(name, architecture, encoder.parameterCount(), encoder.contextLength(),
                        encoder.dominantType().name(), tokenizer.vocabularySize(), "none");
            } else {
                Pooling pooling = Pooling.from(file, architecture, null);
                if (pooling == null) {
                    throw new ModelFormatException("general.architecture '" + architecture + "' is not an embedding "
                            + "model (no " + architecture + ".pooling_type: a language model); " + SUPPORTED);
                }
                if (pooling != Pooling.LAST) {
                    throw new ModelFormatException(architecture + ".pooling_type asks for " + pooling.name()
                            .toLowerCase(java.util.Locale.ROOT) + " pooling; decoder embedding models are supported "
                            + "with last-token pooling (3)");
                }
                Transformer decoder = Transformer.load(file);
                backbone = new EmbeddingBackbone.LastTokenDecoder(decoder, decoder.config().contextLength());
                opening = tokenizer.addBos() ? tokenizer.bosToken() : -1;
                // llama.cpp appends EOS when the vocabulary asks for it: its hidden state is the embedding
                closing = Boolean.TRUE.equals(file.metadata().get("tokenizer.ggml.add_eos_token"))
                        ? tokenizer.eosToken() : -1;
                types = decoder.weightTypes();
                info = new ModelInfo(name, architecture, decoder.parameterCount(), decoder.config().contextLength(),
                        decoder.dominantType().name(), tokenizer.vocabularySize(), "none");
            }
            return new ModelFiles.Prepared<>() {
                @Override
                public Set<GgmlType> weightTypes() {
                    return types;
                }

                @Override
                public EmbeddingModel start(KernelPool pool) {
                    LocalEmbeddingModel embeddings = new LocalEmbeddingModel(file, backbone, tokenizer, opening,
                            closing, pool, options, info);
                    embeddings.warmUp();
                    return embeddings;
                }
            };
        });
    }
}
