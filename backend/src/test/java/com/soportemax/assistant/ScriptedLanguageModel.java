package com.soportemax.assistant;

import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.GeneratedToken;
import com.soportemax.inference.engine.GenerationException;
import com.soportemax.inference.engine.GenerationRequest;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.ModelInfo;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.inference.engine.StopReason;
import com.soportemax.inference.engine.TokenListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A language model whose answers the test writes: the text (split into word tokens), each token's
 * log-probability, a delay per token, or a failure. Token counts are words plus four per chat message, so tests
 * can reason about context windows. Usable as a bean: the assistant uses a {@link LanguageModel} bean instead of
 * loading one. Thread-safe; the script can change between generations.
 */
public class ScriptedLanguageModel implements LanguageModel {

    /** Tokens a chat message costs beyond its words (role markers of the template). */
    public static final int TOKENS_PER_MESSAGE = 4;

    private volatile List<String> tokens = List.of("De", " acuerdo.");
    private volatile double[] logProbs = {-0.05, -0.05};
    private volatile Duration delayPerToken = Duration.ZERO;
    private volatile RuntimeException failure;
    private volatile int contextLength = 4096;
    private volatile boolean echo;
    private final List<GenerationRequest> requests = new CopyOnWriteArrayList<>();

    /** Answers {@code text}, every token with the same log-probability. */
    public ScriptedLanguageModel answer(String text, double logProbPerToken) {
        List<String> split = List.of(text.split("(?=\\s)"));
        double[] lp = new double[split.size()];
        Arrays.fill(lp, logProbPerToken);
        return answer(split, lp);
    }

    /** Answers these tokens with these log-probabilities (one each). */
    public synchronized ScriptedLanguageModel answer(List<String> answerTokens, double... tokenLogProbs) {
        if (answerTokens.size() != tokenLogProbs.length) {
            throw new IllegalArgumentException(answerTokens.size() + " tokens but " + tokenLogProbs.length
                    + " log-probabilities");
        }
        this.tokens = List.copyOf(answerTokens);
        this.logProbs = tokenLogProbs.clone();
        this.failure = null;
        return this;
    }

    /**
     * From now on answers with its whole prompt, every message's text one after the other, each word a sure token:
     * a model that leaks everything it was told, so that a guard that lets any of it through shows.
     */
    public ScriptedLanguageModel echoPrompt() {
        this.echo = true;
        this.failure = null;
        return this;
    }

    /** Waits this long before each token (to watch streaming, or to exceed a timeout). */
    public ScriptedLanguageModel delayPerToken(Duration delay) {
        this.delayPerToken = delay;
        return this;
    }

    /** Every generation from now on completes exceptionally with {@code error}. */
    public ScriptedLanguageModel failWith(RuntimeException error) {
        this.failure = error;
        return this;
    }

    /** The context window {@link #info()} reports, in this model's tokens (words, see {@link #countTokens}). */
    public ScriptedLanguageModel contextLength(int tokens) {
        this.contextLength = tokens;
        return this;
    }

    /** Back to the default script ("De acuerdo.", log-prob -0.05, no delay, no failure), requests forgotten. */
    public synchronized ScriptedLanguageModel reset() {
        tokens = List.of("De", " acuerdo.");
        logProbs = new double[]{-0.05, -0.05};
        delayPerToken = Duration.ZERO;
        failure = null;
        contextLength = 4096;
        echo = false;
        requests.clear();
        return this;
    }

    /** The generations asked of this model, oldest first. */
    public List<GenerationRequest> requests() {
        return List.copyOf(requests);
    }

    @Override
    public ModelInfo info() {
        return new ModelInfo("scripted", "scripted", 1_000_000L, contextLength, "F32", 1000, "chatml");
    }

    @Override
    public int countTokens(Prompt prompt) {
        return switch (prompt) {
            case Prompt.Raw raw -> words(raw.text());
            case Prompt.Tokens tokens -> tokens.ids().length;
            case Prompt.Chat chat -> chat.messages().stream()
                    .mapToInt(m -> TOKENS_PER_MESSAGE + words(m.content())).sum() + TOKENS_PER_MESSAGE;
        };
    }

    /** Words in a text, the unit this model counts in. */
    public static int words(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : t.split("\\s+").length;
    }

    @Override
    public CompletableFuture<Completion> generate(GenerationRequest request, TokenListener listener) {
        requests.add(request);
        RuntimeException error = failure;
        if (error != null) return CompletableFuture.failedFuture(error);
        List<String> scripted;
        double[] scriptedLp;
        synchronized (this) {
            scripted = tokens;
            scriptedLp = logProbs;
        }
        if (echo) {
            StringBuilder all = new StringBuilder();
            for (ChatMessage m : messages(request)) all.append(m.content()).append('\n');
            scripted = List.of(all.toString().split("(?=\\s)"));
            scriptedLp = new double[scripted.size()];
            Arrays.fill(scriptedLp, -0.01);
        }
        List<String> script = scripted;
        double[] lp = scriptedLp;
        Duration delay = delayPerToken;
        int promptTokens = countTokens(request.prompt());
        CompletableFuture<Completion> result = new CompletableFuture<>();
        Thread.ofVirtual().name("scripted-generation").start(() -> {
            long start = System.nanoTime();
            List<GeneratedToken> produced = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            int n = Math.min(script.size(), request.maxTokens());
            try {
                for (int i = 0; i < n && !result.isDone(); i++) {
                    if (!delay.isZero()) Thread.sleep(delay);
                    if (System.nanoTime() - start > request.timeout().toNanos()) {
                        result.completeExceptionally(new GenerationException("generation timed out after "
                                + request.timeout().toMillis() + " ms"));
                        return;
                    }
                    GeneratedToken token = new GeneratedToken(i, script.get(i), lp[i], List.of(), 0);
                    produced.add(token);
                    text.append(token.text());
                    listener.onToken(token);
                }
            } catch (InterruptedException e) {
                result.completeExceptionally(new GenerationException("generation interrupted", e));
                return;
            }
            double mean = produced.stream().mapToDouble(GeneratedToken::logProb).average().orElse(0);
            double lowest = produced.stream().mapToDouble(GeneratedToken::probability).min().orElse(1);
            Duration decode = Duration.ofNanos(Math.max(1, System.nanoTime() - start));
            result.complete(new Completion(text.toString(), produced, promptTokens, produced.size(), mean, lowest,
                    n < script.size() ? StopReason.MAX_TOKENS : StopReason.END_OF_GENERATION,
                    Duration.ofMillis(1), decode));
        });
        return result;
    }

    /** The chat messages of a request's prompt (tests look at what the model was shown). */
    public static List<ChatMessage> messages(GenerationRequest request) {
        return request.prompt() instanceof Prompt.Chat chat ? chat.messages() : List.of();
    }

    @Override
    public void close() {
    }
}
