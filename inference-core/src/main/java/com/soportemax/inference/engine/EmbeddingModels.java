package com.soportemax.inference.engine;

import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.model.BertEncoder;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tensor.KernelPools;
import com.soportemax.inference.tensor.WeightMatrices;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/** Entry point for sentence-embedding models: loads GGUF embedding model files. */
public final class EmbeddingModels {

    private static final long WARM_UP_MILLIS = 3000;

    private EmbeddingModels() {
    }

    /**
     * Memory-maps a GGUF embedding model: a BERT encoder ({@code general.architecture = "bert"}, WordPiece
     * vocabulary, mean or [CLS] pooling). {@code options.threads()} sets the kernel threads and
     * {@code options.contextLength()} (0 = the model's) the most tokens a text is cut to.
     *
     * @throws ModelFileException when the file is no embedding model (a chat model, say), or is truncated or
     *                            corrupt; the message names the file and the key or tensor at fault
     * @throws IOException        when the file cannot be read
     */
    public static EmbeddingModel load(Path gguf, EngineOptions options) throws IOException {
        Objects.requireNonNull(options, "options");
        GgufFile file;
        try {
            file = GgufFile.open(gguf);
        } catch (ModelFormatException e) {
            throw new ModelFileException(e.getMessage(), e);
        }
        KernelPool pool = null;
        try {
            String architecture = file.requireString("general.architecture");
            if (!architecture.equals("bert")) {
                throw new ModelFormatException("general.architecture '" + architecture + "' is not an embedding "
                        + "model; supported are BERT encoders ('bert', mean or [CLS] pooling)");
            }
            BertEncoder encoder = BertEncoder.load(file);
            Tokenizer tokenizer = Tokenizer.fromMetadata(file.metadata());
            if (!tokenizer.model().equals("bert") || tokenizer.bosToken() < 0 || tokenizer.separatorToken() < 0) {
                throw new ModelFormatException("tokenizer.ggml.model: a BERT encoder needs a WordPiece ('bert') "
                        + "vocabulary with [CLS] and [SEP] tokens, found '" + tokenizer.model() + "'");
            }
            if (tokenizer.vocabularySize() != encoder.vocabularySize()) {
                throw new ModelFormatException("tokenizer.ggml.tokens has " + tokenizer.vocabularySize()
                        + " tokens but token_embd.weight has " + encoder.vocabularySize() + " rows");
            }
            String name = file.string("general.name").orElse(gguf.getFileName().toString());
            pool = KernelPools.create(options.effectiveThreads());
            WeightMatrices.warmUp(encoder.weightTypes(), WARM_UP_MILLIS);
            LocalEmbeddingModel model = new LocalEmbeddingModel(file, encoder, tokenizer, pool, options, name);
            model.warmUp();
            return model;
        } catch (ModelFormatException e) {
            closeQuietly(file, pool);
            throw new ModelFileException(gguf.getFileName() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(file, pool);
            throw e;
        }
    }

    private static void closeQuietly(GgufFile file, KernelPool pool) {
        if (pool != null) pool.close();
        file.close();
    }
}
