package com.soportemax.inference.testing;

import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.args.LogFormat;
import de.kherud.llama.ModelParameters;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * llama.cpp (through de.kherud:llama) as the reference engine. Its {@code close()} leaks native memory, so each model
 * file is loaded once per JVM and kept. Never call {@code setNProbs}: it aborts the JVM.
 */
public final class LlamaCpp {

    private static final Map<Path, LlamaModel> MODELS = new ConcurrentHashMap<>();

    static {
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> { });
    }

    private LlamaCpp() {
    }

    public static LlamaModel model(Path gguf, int contextLength) {
        return MODELS.computeIfAbsent(gguf.toAbsolutePath(), p -> new LlamaModel(new ModelParameters()
                .setModel(p.toString()).setCtxSize(contextLength).setThreads(2).setThreadsBatch(2)
                .setGpuLayers(0).setParallel(1).skipWarmup()));
    }

    /** The text of {@code maxTokens} greedy tokens after {@code prompt} (given as ids, used verbatim). */
    public static String greedyText(Path gguf, int[] prompt, int maxTokens) {
        InferenceParameters p = PromptIds.of(prompt).setNPredict(maxTokens).setTemperature(0f).setTopK(1)
                .setTopP(1f).setMinP(0f).setRepeatPenalty(1f).setSeed(1).setCachePrompt(false);
        StringBuilder text = new StringBuilder();
        for (LlamaOutput out : model(gguf, 512).generate(p)) text.append(out.text);
        return text.toString();
    }
}
