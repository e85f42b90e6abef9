package com.soportemax.inference.tokenizer;

import com.soportemax.inference.synthetic.SyntheticVocabulary;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.tensor.GgmlType;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The synthetic vocabularies of every tokenizer kind, each with our tokenizer and llama.cpp loaded on a minimal model
 * file carrying it. Built once per JVM and shared by test classes: llama.cpp leaks native memory on close, and the
 * big vocabularies take a moment to make.
 */
public final class ReferenceVocabularies {

    /** A model just big enough for llama.cpp to load; only its tokenizer matters. */
    private static final ModelShape CARRIER = new ModelShape("carrier", "llama", 512, 64, 1, 2, 1, 32, 64, 256,
            10_000f, 1e-5f, true, false, false, false);

    private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();

    public record Loaded(Map<String, Object> metadata, Tokenizer tokenizer, LlamaModel llamaCpp) {
    }

    static {
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> { });
    }

    private ReferenceVocabularies() {
    }

    /**
     * @param name a {@link SyntheticVocabulary#forShape} shape ("qwen2.5-0.5b", "llama-3.2-1b", "tiny"), or
     *             "gpt-2", "default" (small byte-level vocabularies with those pre-tokenizers), "spm",
     *             "spm-no-prefix" (without {@code add_space_prefix}), or
     *             "pairs:" + a pre-tokenizer name (see {@link #bytePairs})
     */
    public static Loaded get(String name) {
        return LOADED.computeIfAbsent(name, ReferenceVocabularies::load);
    }

    /**
     * A vocabulary that makes word boundaries visible in the token ids: every pair of the byte symbols that
     * {@link ParitySamples#soup} text uses is a merge, in random rank order. Inside a word the bytes pair up by rank;
     * a boundary between two bytes forbids their pair, which changes the ids whenever that pair would have won.
     */
    static Map<String, Object> bytePairs(String pre) {
        java.util.TreeSet<Integer> bytes = new java.util.TreeSet<>();
        for (String s : ParitySamples.soup(2000, 1)) {
            for (byte b : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) bytes.add(b & 0xFF);
        }
        java.util.List<String> tokens = new java.util.ArrayList<>();
        for (int b = 0; b < 256; b++) tokens.add(String.valueOf(ByteLevel.charOf(b)));
        java.util.List<String> merges = new java.util.ArrayList<>();
        for (int a : bytes) {
            for (int b : bytes) merges.add(ByteLevel.charOf(a) + " " + ByteLevel.charOf(b));
        }
        java.util.Collections.shuffle(merges, new java.util.Random(pre.hashCode()));
        for (String merge : merges) tokens.add(merge.replace(" ", ""));
        tokens.add("<|endoftext|>");
        int[] types = new int[tokens.size()];
        java.util.Arrays.fill(types, 1);
        types[types.length - 1] = 3;
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", pre);
        m.put("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.merges", merges.toArray(String[]::new));
        m.put("tokenizer.ggml.eos_token_id", tokens.size() - 1);
        m.put("tokenizer.ggml.add_bos_token", false);
        return m;
    }

    private static Loaded load(String name) {
        Map<String, Object> metadata = name.startsWith("pairs:") ? bytePairs(name.substring(6)) : switch (name) {
            case "gpt-2" -> SyntheticVocabulary.gpt2Style(6000, "gpt-2", 7);
            case "default" -> SyntheticVocabulary.gpt2Style(6000, "default", 8);
            case "spm" -> SyntheticVocabulary.sentencePiece(6000, 9);
            case "spm-no-prefix" -> {
                Map<String, Object> m = SyntheticVocabulary.sentencePiece(6000, 10);
                m.put("tokenizer.ggml.add_space_prefix", false);
                yield m;
            }
            default -> SyntheticVocabulary.forShape(name);
        };
        try {
            Path file = Files.createTempFile("vocabulary-" + name + "-", ".gguf");
            file.toFile().deleteOnExit();
            RandomModel.write(CARRIER, GgmlType.F32, metadata, 1, id -> false, file);
            // Jinja on: llama.cpp then renders tokenizer.chat_template itself instead of a built-in approximation
            LlamaModel llamaCpp = new LlamaModel(new ModelParameters().setModel(file.toString()).setCtxSize(256)
                    .setThreads(2).setThreadsBatch(2).setGpuLayers(0).setParallel(1).skipWarmup().enableJinja());
            return new Loaded(metadata, Tokenizer.fromMetadata(metadata), llamaCpp);
        } catch (ModelFormatException e) {
            throw new AssertionError("a synthetic vocabulary must be valid", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
