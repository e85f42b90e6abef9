package com.soportemax.inference.engine;

import com.soportemax.inference.model.Transformer;
import com.soportemax.inference.sampling.Sampler;
import com.soportemax.inference.sampling.TokenStatistics;
import com.soportemax.inference.tensor.KernelPool;
import com.soportemax.inference.tokenizer.StreamingDecoder;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * One generation on its own thread: prefill, then sample, stream and check stop conditions token by token.
 * Text that could still turn into a stop string is held back, so listeners never see (part of) a stop string, and
 * the texts streamed to the listener always add up to the completion's text.
 */
final class Generation {

    private static final int ALTERNATIVES = 5;

    private record Pending(int id, String text, TokenStatistics stats) {
    }

    private final Transformer model;
    private final Tokenizer tokenizer;
    private final KernelPool pool;
    private final int vocabulary;

    Generation(Transformer model, Tokenizer tokenizer, KernelPool pool) {
        this.model = model;
        this.tokenizer = tokenizer;
        this.pool = pool;
        this.vocabulary = Math.min(model.config().vocabularySize(), tokenizer.vocabularySize());
    }

    /**
     * @param stopped polled between tokens: true when the caller cancelled or the deadline passed
     */
    Completion run(int[] prompt, GenerationRequest request, int contextLength, TokenListener listener,
                   BooleanSupplier stopped) {
        int capacity = Math.min(contextLength, prompt.length + request.maxTokens());
        Transformer.State state = model.newState(capacity);
        long start = System.nanoTime();
        float[] logits = model.forward(state, prompt, 0, prompt.length, pool);
        long prefillEnd = System.nanoTime();

        Sampler sampler = new Sampler(request.sampling());
        int[] history = new int[capacity + 1];
        System.arraycopy(prompt, 0, history, 0, prompt.length);
        int count = prompt.length;
        StreamingDecoder decoder = tokenizer.newStreamingDecoder();
        List<String> stops = request.stopStrings().stream().filter(s -> !s.isEmpty()).toList();

        List<GeneratedToken> emitted = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        ArrayDeque<Pending> pending = new ArrayDeque<>();
        StringBuilder pendingText = new StringBuilder();
        StopReason reason = null;
        int generated = 0;
        while (reason == null) {
            if (stopped.getAsBoolean()) {
                reason = StopReason.CANCELLED;
                break;
            }
            int id = sampler.sample(logits, 0, vocabulary, history, count);
            if (tokenizer.isEndOfGeneration(id)) {
                reason = StopReason.END_OF_GENERATION;
                break;
            }
            TokenStatistics stats = TokenStatistics.of(logits, 0, vocabulary, id, ALTERNATIVES);
            history[count++] = id;
            generated++;
            String piece = decoder.accept(id);
            pending.add(new Pending(id, piece, stats));
            pendingText.append(piece);

            int stopAt = earliestStop(pendingText, stops);
            if (stopAt >= 0) {
                release(pending, pendingText, stopAt, true, emitted, text, listener);
                reason = StopReason.STOP_STRING;
                break;
            }
            release(pending, pendingText, holdBackFrom(pendingText, stops), false, emitted, text, listener);
            if (generated >= request.maxTokens()) {
                reason = StopReason.MAX_TOKENS;
            } else if (state.position() >= state.capacity()) {
                reason = StopReason.CONTEXT_FULL;
            } else {
                logits = model.forward(state, new int[]{id}, 0, 1, pool);
            }
        }
        if (reason != StopReason.STOP_STRING) {
            // no stop string can complete any more: everything held back is text
            String tail = decoder.finish();
            if (!tail.isEmpty() && !pending.isEmpty()) {
                Pending last = pending.removeLast();
                pending.addLast(new Pending(last.id(), last.text() + tail, last.stats()));
                pendingText.append(tail);
            }
            release(pending, pendingText, pendingText.length(), true, emitted, text, listener);
        }
        long end = System.nanoTime();
        double sumLogProb = 0, minProb = 1;
        for (GeneratedToken t : emitted) {
            sumLogProb += t.logProb();
            minProb = Math.min(minProb, t.probability());
        }
        return new Completion(text.toString(), emitted, prompt.length, emitted.size(),
                emitted.isEmpty() ? 0 : sumLogProb / emitted.size(), minProb, reason,
                Duration.ofNanos(prefillEnd - start), Duration.ofNanos(end - prefillEnd));
    }

    /**
     * Emits pending tokens whose text lies before {@code limit}. With {@code all}, every pending token is emitted,
     * the one crossing {@code limit} cut there (a stop string's start) and later ones with empty text.
     */
    private void release(ArrayDeque<Pending> pending, StringBuilder pendingText, int limit, boolean all,
                         List<GeneratedToken> emitted, StringBuilder text, TokenListener listener) {
        int consumed = 0;
        while (!pending.isEmpty()) {
            Pending p = pending.peekFirst();
            int end = consumed + p.text().length();
            if (end > limit && !all) break;
            pending.removeFirst();
            String piece = end <= limit ? p.text() : p.text().substring(0, Math.max(0, limit - consumed));
            consumed = end;
            GeneratedToken token = token(p, piece);
            emitted.add(token);
            text.append(piece);
            listener.onToken(token);
        }
        pendingText.delete(0, Math.min(consumed, pendingText.length()));
    }

    private GeneratedToken token(Pending p, String piece) {
        TokenStatistics s = p.stats();
        List<TokenCandidate> alternatives = new ArrayList<>(s.topIds().length);
        for (int i = 0; i < s.topIds().length; i++) {
            alternatives.add(new TokenCandidate(s.topIds()[i], tokenizer.decode(new int[]{s.topIds()[i]}),
                    s.topLogProbs()[i]));
        }
        return new GeneratedToken(p.id(), piece, s.chosenLogProb(), alternatives, s.entropy());
    }

    static int earliestStop(CharSequence text, List<String> stops) {
        int best = -1;
        String s = text.toString();
        for (String stop : stops) {
            int i = s.indexOf(stop);
            if (i >= 0 && (best < 0 || i < best)) best = i;
        }
        return best;
    }

    /** The start of the longest suffix of {@code text} that begins some stop string (text.length() if none). */
    static int holdBackFrom(CharSequence text, List<String> stops) {
        int n = text.length();
        for (int from = Math.max(0, n - maxLength(stops) + 1); from < n; from++) {
            CharSequence suffix = text.subSequence(from, n);
            for (String stop : stops) {
                if (stop.length() > suffix.length() && stop.startsWith(suffix.toString())) return from;
            }
        }
        return n;
    }

    private static int maxLength(List<String> stops) {
        int max = 0;
        for (String s : stops) max = Math.max(max, s.length());
        return max;
    }
}
