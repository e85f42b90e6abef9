package com.soportemax.inference.engine;

import com.soportemax.inference.chat.ChatTemplate;
import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/** Entry point: loads GGUF model files. */
public final class LanguageModels {

    private LanguageModels() {
    }

    /**
     * Memory-maps a GGUF file and prepares it for generation.
     *
     * @throws ModelFileException when the file is truncated, corrupt or of an unsupported architecture or tensor type
     * @throws IOException        when the file cannot be read
     */
    public static LanguageModel load(Path gguf, EngineOptions options) throws IOException {
        return ModelFiles.load(gguf, options, file -> {
            Transformer model = Transformer.load(file);
            Tokenizer tokenizer = Tokenizer.fromMetadata(file.metadata());
            ChatTemplate template = ChatTemplate.fromMetadata(file.metadata(), tokenizer);
            String name = file.string("general.name").orElse(gguf.getFileName().toString());
            return new ModelFiles.Prepared<>() {
                @Override
                public Set<GgmlType> weightTypes() {
                    return model.weightTypes();
                }

                @Override
                public LanguageModel start(KernelPool pool) {
                    return new LocalLanguageModel(file, model, tokenizer, template, pool, options, name);
                }
            };
        });
    }
}
