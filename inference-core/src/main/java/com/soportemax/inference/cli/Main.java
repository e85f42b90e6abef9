package com.soportemax.inference.cli;

import com.soportemax.inference.chat.ChatTemplate;
import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.ContextOverflowException;
import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.EmbeddingModels;
import com.soportemax.inference.engine.EngineOptions;
import com.soportemax.inference.engine.GeneratedToken;
import com.soportemax.inference.engine.GenerationException;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.LanguageModels;
import com.soportemax.inference.engine.ModelFileException;
import com.soportemax.inference.engine.ModelInfo;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.inference.engine.SamplingSettings;
import com.soportemax.inference.gguf.GgufFile;
import com.soportemax.inference.gguf.GgufTensor;
import com.soportemax.inference.gguf.ModelFormatException;
import com.soportemax.inference.model.Configuration;
import com.soportemax.inference.server.OpenAiServer;
import com.soportemax.inference.synthetic.ModelShape;
import com.soportemax.inference.synthetic.RandomEncoder;
import com.soportemax.inference.synthetic.RandomModel;
import com.soportemax.inference.synthetic.SyntheticVocabulary;
import com.soportemax.inference.tensor.GgmlType;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

/**
 * The {@code inference-core} command line: inspect, tokenize, generate, chat, bench, embed, serve and make-random. Exit status 0
 * on success, 2 on a usage error, 1 when the model or the generation fails.
 */
public final class Main {

    static final String USAGE = """
            usage: java --add-modules jdk.incubator.vector -jar inference-core.jar <command> [options]

              inspect   --model F
              tokenize  --model F --text T [--json]
              generate  --model F --prompt T [--raw] [--system S] [--max-tokens N] [--temperature T] [--top-k K]
                        [--top-p P] [--min-p P] [--repeat-penalty R] [--seed S] [--stop S] [--threads N]
                        [--context N] [--json]
              chat      --model F [--system S] [--max-tokens N] [--temperature T] [--seed S] [--threads N]
              bench     --model F [--prompt-tokens 512] [--gen-tokens 128] [--threads N] [--repetitions R]
                        [--streams N] [--shared-prefix P] [--json]
              embed     --model F --text T [--repetitions N] [--batch N] [--threads N] [--full] [--json]
              serve     --model F [--port 8080] [--host 127.0.0.1] [--api-key K] [--embedding-model E]
                        [--model-name N] [--threads N] [--parallel N] [--queue N] [--context N] [--max-tokens N]
                        [--timeout-seconds S]   (the key can also come from SOPORTEMAX_API_KEY)
              make-random --shape qwen2.5-0.5b|qwen3-0.6b|llama-3.2-1b|tiny|minilm-l6|tiny-bert-cls
                        --type q8_0|q4_0|q4_k|f16|f32 --out F [--seed S]
            """;

    private Main() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        int status = run(args, out, err);
        out.flush();
        // kernel and generation threads are daemons, but exit explicitly so status codes are reliable
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        try {
            return switch (args[0]) {
                case "inspect" -> inspect(Arguments.parse("inspect", args, 1, Set.of("--model"), Set.of()), out);
                case "tokenize" -> tokenize(Arguments.parse("tokenize", args, 1, Set.of("--model", "--text"),
                        Set.of("--json")), out);
                case "generate" -> generate(Arguments.parse("generate", args, 1, Set.of("--model", "--prompt",
                        "--system", "--max-tokens", "--temperature", "--top-k", "--top-p", "--min-p", "--repeat-penalty",
                        "--seed", "--stop", "--threads", "--context"), Set.of("--raw", "--json")), out);
                case "chat" -> chat(Arguments.parse("chat", args, 1, Set.of("--model", "--system", "--max-tokens",
                        "--temperature", "--seed", "--threads", "--context"), Set.of()), out, err);
                case "bench" -> Bench.run(Arguments.parse("bench", args, 1, Set.of("--model", "--prompt-tokens",
                        "--gen-tokens", "--threads", "--repetitions", "--streams", "--shared-prefix"),
                        Set.of("--json")), out);
                case "embed" -> Embed.run(Arguments.parse("embed", args, 1, Set.of("--model", "--text",
                        "--repetitions", "--batch", "--threads"), Set.of("--full", "--json")), out);
                case "serve" -> serve(Arguments.parse("serve", args, 1, Set.of("--model", "--port", "--host",
                        "--api-key", "--embedding-model", "--model-name", "--threads", "--parallel", "--queue",
                        "--context", "--max-tokens", "--timeout-seconds"), Set.of()), out);
                case "make-random" -> makeRandom(Arguments.parse("make-random", args, 1,
                        Set.of("--shape", "--type", "--out", "--seed"), Set.of()), out);
                default -> throw new Arguments.UsageException("unknown command '" + args[0] + "'");
            };
        } catch (Arguments.UsageException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.print(USAGE);
            return 2;
        } catch (ModelFormatException | ModelFileException e) {
            err.println("error: the model file cannot be used: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("error: " + e);
            return 1;
        } catch (GenerationException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static int inspect(Arguments a, PrintStream out) throws IOException {
        Path path = Path.of(a.required("--model"));
        try (GgufFile gguf = GgufFile.open(path)) {
            Configuration c = Configuration.from(gguf);
            Tokenizer tokenizer = Tokenizer.fromMetadata(gguf.metadata());
            ChatTemplate template = ChatTemplate.fromMetadata(gguf.metadata(), tokenizer);
            Map<GgmlType, Long> byType = new TreeMap<>();
            long parameters = 0;
            for (GgufTensor t : gguf.tensors().values()) {
                byType.merge(t.type(), t.elementCount(), Long::sum);
                parameters += t.elementCount();
            }
            out.println("file:           " + path.getFileName() + " (GGUF v" + gguf.version() + ", "
                    + mb(gguf.fileSize()) + " MB)");
            out.println("name:           " + gguf.string("general.name").orElse("-"));
            out.println("architecture:   " + c.architecture());
            out.printf(Locale.ROOT, "parameters:     %d (%.2f B)%n", parameters, parameters / 1e9);
            StringBuilder types = new StringBuilder();
            for (var e : byType.entrySet()) {
                types.append(types.isEmpty() ? "" : ", ").append(e.getKey()).append(' ')
                        .append(String.format(Locale.ROOT, "%.1f%%", 100.0 * e.getValue() / parameters));
            }
            out.println("weight types:   " + types);
            out.println("layers:         " + c.blockCount() + ", width " + c.embeddingLength() + ", feed-forward "
                    + c.feedForwardLength());
            out.println("attention:      " + c.headCount() + " heads, " + c.headCountKv() + " kv heads, head size "
                    + c.headDim() + ", RoPE " + (c.neoxRope() ? "NeoX" : "normal") + " theta " + c.ropeTheta());
            out.println("context:        " + c.contextLength());
            out.println("vocabulary:     " + tokenizer.vocabularySize() + " (" + tokenizer.model() + ", pre "
                    + gguf.string("tokenizer.ggml.pre").orElse("default") + ")");
            out.println("chat template:  " + template.family());
        }
        return 0;
    }

    private static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    private static int tokenize(Arguments a, PrintStream out) throws IOException {
        Path path = Path.of(a.required("--model"));
        String text = a.required("--text");
        try (GgufFile gguf = GgufFile.open(path)) {
            Tokenizer tokenizer = Tokenizer.fromMetadata(gguf.metadata());
            int[] ids = tokenizer.encode(text);
            if (a.flag("--json")) {
                out.println(new Json().put("tokens", ids));
            } else {
                for (int id : ids) {
                    StringBuilder piece = new StringBuilder();
                    Json.string(piece, tokenizer.decode(new int[]{id}));
                    out.println(id + "\t" + piece);
                }
            }
        }
        return 0;
    }

    private static SamplingSettings sampling(Arguments a) {
        long seed = a.has("--seed") ? a.longValue("--seed", 0) : System.nanoTime();
        return new SamplingSettings(a.decimal("--temperature", 0.8), a.integer("--top-k", 40),
                a.decimal("--top-p", 0.95), a.decimal("--min-p", 0.05), a.decimal("--repeat-penalty", 1.0), 64, seed);
    }

    private static LanguageModel load(Arguments a) throws IOException {
        return LanguageModels.load(Path.of(a.required("--model")),
                new EngineOptions(a.integer("--threads", 0), 1, 4, a.integer("--context", 4096)));
    }

    private static int generate(Arguments a, PrintStream out) throws IOException {
        String text = a.required("--prompt");
        boolean json = a.flag("--json");
        SamplingSettings sampling = sampling(a);
        try (LanguageModel model = load(a)) {
            Prompt prompt;
            if (a.flag("--raw")) {
                prompt = Prompt.raw(text);
            } else {
                List<ChatMessage> messages = new ArrayList<>();
                if (a.has("--system")) messages.add(ChatMessage.system(a.string("--system", "")));
                messages.add(ChatMessage.user(text));
                prompt = Prompt.chat(messages);
            }
            List<String> stops = a.has("--stop") ? List.of(a.string("--stop", "")) : List.of();
            GenerationRequest request = new GenerationRequest(prompt, sampling, a.integer("--max-tokens", 256), stops,
                    Duration.ofHours(1));
            Completion c = await(model.generate(request, json ? t -> { } : t -> {
                out.print(t.text());
                out.flush();
            }));
            if (json) {
                int[] ids = c.tokens().stream().mapToInt(GeneratedToken::id).toArray();
                double[] logprobs = c.tokens().stream().mapToDouble(GeneratedToken::logProb).toArray();
                out.println(new Json().put("tokens", ids).put("text", c.text()).put("logprobs", logprobs)
                        .put("prompt_tokens", c.promptTokens())
                        .put("stop_reason", c.stopReason().name().toLowerCase(Locale.ROOT)));
            } else {
                out.println();
            }
        }
        return 0;
    }

    private static Completion await(java.util.concurrent.CompletableFuture<Completion> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GenerationException("interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ContextOverflowException o) throw o;
            if (e.getCause() instanceof GenerationException g) throw g;
            throw new GenerationException("the generation failed: " + e.getCause(), e.getCause());
        }
    }

    private static int chat(Arguments a, PrintStream out, PrintStream err) throws IOException {
        SamplingSettings sampling = sampling(a);
        int maxTokens = a.integer("--max-tokens", 512);
        try (LanguageModel model = load(a)) {
            ModelInfo info = model.info();
            err.println(info.name() + " (" + info.architecture() + ", " + info.quantization() + ", template "
                    + info.templateFamily() + "). Type a message; /reset starts over, /exit or end of input quits.");
            List<ChatMessage> history = new ArrayList<>();
            if (a.has("--system")) history.add(ChatMessage.system(a.string("--system", "")));
            int systemMessages = history.size();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            while (true) {
                err.print("> ");
                err.flush();
                String line = in.readLine();
                if (line == null || line.strip().equals("/exit")) return 0;
                if (line.strip().equals("/reset")) {
                    history.subList(systemMessages, history.size()).clear();
                    continue;
                }
                if (line.isBlank()) continue;
                history.add(ChatMessage.user(line));
                try {
                    Completion c = await(model.generate(GenerationRequest.chat(history, sampling, maxTokens), t -> {
                        out.print(t.text());
                        out.flush();
                    }));
                    out.println();
                    history.add(ChatMessage.assistant(c.text()));
                } catch (ContextOverflowException e) {
                    history.removeLast();
                    err.println("[the conversation no longer fits the context window; /reset to start over]");
                }
            }
        }
    }

    private static int serve(Arguments a, PrintStream out) throws IOException {
        Path modelFile = Path.of(a.required("--model"));
        Optional<String> apiKey = Optional.ofNullable(a.string("--api-key", System.getenv("SOPORTEMAX_API_KEY")));
        String name = a.string("--model-name", modelName(modelFile));
        Optional<Path> embeddingFile = Optional.ofNullable(a.string("--embedding-model", null)).map(Path::of);
        var options = new EngineOptions(a.integer("--threads", 0), a.integer("--parallel", 4), a.integer("--queue", 64),
                a.integer("--context", 4096));
        var settings = new OpenAiServer.Settings(a.string("--host", "127.0.0.1"), a.integer("--port", 8080), apiKey,
                name, embeddingFile.map(Main::modelName), a.integer("--max-tokens", 1024),
                Duration.ofSeconds(a.longValue("--timeout-seconds", 600)));
        LanguageModel model = LanguageModels.load(modelFile, options);
        EmbeddingModel embeddings = null;
        OpenAiServer server;
        try {
            if (embeddingFile.isPresent()) {
                embeddings = EmbeddingModels.load(embeddingFile.get(), new EngineOptions(options.threads(), 1, 0, 0));
            }
            server = OpenAiServer.start(model, embeddings, settings);
        } catch (IOException | RuntimeException e) {
            if (embeddings != null) embeddings.close();
            model.close();
            throw e;
        }
        EmbeddingModel servedEmbeddings = embeddings;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            if (servedEmbeddings != null) servedEmbeddings.close();
            model.close();
            stopped.countDown();
        }, "serve-shutdown"));
        ModelInfo info = model.info();
        out.printf(Locale.ROOT, "serving %s (%s, %s) on http://%s:%d/v1 (%s; %d generations at once)%n", name,
                info.architecture(), info.quantization(), settings.host(), server.port(),
                apiKey.isPresent() ? "API key required" : "no API key", options.maxConcurrentGenerations());
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String modelName(Path file) {
        return file.getFileName().toString().replaceFirst("\\.gguf$", "");
    }

    private static int makeRandom(Arguments a, PrintStream out) throws IOException {
        String shapeName = a.required("--shape");
        GgmlType type = switch (a.required("--type").toLowerCase(Locale.ROOT)) {
            case "q8_0" -> GgmlType.Q8_0;
            case "q4_0" -> GgmlType.Q4_0;
            case "q4_k" -> GgmlType.Q4_K;
            case "f16" -> GgmlType.F16;
            case "f32" -> GgmlType.F32;
            default -> throw new Arguments.UsageException("make-random: --type must be q8_0, q4_0, q4_k, f16 or f32");
        };
        Path target = Path.of(a.required("--out"));
        long start = System.nanoTime();
        String name;
        if (RandomEncoder.Shape.NAMES.contains(shapeName.toLowerCase(Locale.ROOT))) {
            RandomEncoder.Shape shape = RandomEncoder.Shape.named(shapeName);
            RandomEncoder.write(shape, type, a.longValue("--seed", 1), target);
            name = shape.name();
        } else {
            ModelShape shape = ModelShape.named(shapeName);
            RandomModel.write(shape, type, SyntheticVocabulary.forShape(shapeName), a.longValue("--seed", 1),
                    id -> false, target);
            name = shape.name();
        }
        out.printf(Locale.ROOT, "wrote %s (%s, %s, %d MB) in %.1f s%n", target, name, type,
                mb(target.toFile().length()), (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
