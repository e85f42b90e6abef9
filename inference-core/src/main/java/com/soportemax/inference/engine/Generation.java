package com.soportemax.inference.engine;

import com.soportemax.inference.model.KvSequence;
import com.soportemax.inference.sampling.Sampler;
import com.soportemax.inference.sampling.TokenStatistics;
import com.soportemax.inference.tokenizer.StreamingDecoder;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One sequence being generated in the batch: its prompt, KV cache, sampler (own settings and seed), stop rules and
 * the text it has released. The scheduler feeds it the logits after its prompt and after each of its tokens;
 * {@link #accept} samples, streams and checks stop conditions. Text that could still turn into a stop string is held
 * back, so listeners never see (part of) a stop string, and the texts streamed to the listener always add up to the
 * completion's text. Used by the scheduler thread only; tokens reach the listener through {@link Delivery}.
 */
final class Generation {

    private record Pending(int id, String text, TokenStatistics stats) {
    }

    final int[] prompt;
    final GenerationRequest request;
    final CompletableFuture<Completion> future;
    private final Delivery delivery;
    private final TokenListener listener;
    private final Tokenizer tokenizer;
    private final int vocabulary;
    private final Sampler sampler;
    private final StreamingDecoder decoder;
    private final List<String> stops;
    private final List<GeneratedToken> emitted = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final StringBuilder pendingText = new StringBuilder();
    private int[] history;
    private int count;
    private int generated;

    KvSequence kv;
    /** Prompt tokens already in the KV cache (from the prefix cache or earlier passes). */
    int prefilled;
    /** Prompt tokens that came from the prefix cache instead of being computed. */
    int reused;
    int lastToken = -1;
    private long admitted;
    private long firstLogits;

    Generation(int[] prompt, GenerationRequest request, TokenListener listener, CompletableFuture<Completion> future,
               Delivery delivery, Tokenizer tokenizer, int vocabulary) {
        this.prompt = prompt;
        this.request = request;
        this.listener = listener;
        this.future = future;
        this.delivery = delivery;
        this.tokenizer = tokenizer;
        this.vocabulary = vocabulary;
        this.sampler = new Sampler(request.sampling());
        this.decoder = tokenizer.newStreamingDecoder();
        this.stops = request.stopStrings().stream().filter(s -> !s.isEmpty()).toList();
        this.history = new int[prompt.length + Math.min(request.maxTokens(), 4096) + 1];
        System.arraycopy(prompt, 0, history, 0, prompt.length);
        this.count = prompt.length;
    }

    void admit(KvSequence kv, int reused) {
        this.kv = kv;
        this.prefilled = reused;
        this.reused = reused;
        this.admitted = System.nanoTime();
    }

    boolean prefilling() {
        return prefilled < prompt.length;
    }

    /** The tokens in the KV cache or about to be: the prompt, then the generated tokens. */
    int[] tokens() {
        return java.util.Arrays.copyOf(history, count);
    }

    /** True once the caller cancelled, the deadline passed, or the listener failed. */
    boolean abandoned() {
        return future.isDone();
    }

    /**
     * Takes the logits after the prompt or after the last generated token. Returns the stop reason when the
     * generation has ended (the completion is then on its way to the caller), null to go on with {@link #lastToken}.
     */
    StopReason accept(float[] logits, int offset) {
        if (firstLogits == 0) firstLogits = System.nanoTime();
        int id = sampler.sample(logits, offset, vocabulary, history, count);
        if (tokenizer.isEndOfGeneration(id) && !request.ignoreEndOfGeneration()) {
            return finish(StopReason.END_OF_GENERATION);
        }
        TokenStatistics stats = TokenStatistics.of(logits, offset, vocabulary, id, request.alternatives());
        if (count == history.length) history = java.util.Arrays.copyOf(history, history.length * 2);
        history[count++] = id;
        generated++;
        lastToken = id;
        String piece = decoder.accept(id);
        pending.add(new Pending(id, piece, stats));
        pendingText.append(piece);

        int stopAt = earliestStop(pendingText, stops);
        if (stopAt >= 0) {
            release(stopAt, true);
            return finish(StopReason.STOP_STRING);
        }
        release(holdBackFrom(pendingText, stops), false);
        if (generated >= request.maxTokens()) return finish(StopReason.MAX_TOKENS);
        if (kv.length() + 1 > kv.limit()) return finish(StopReason.CONTEXT_FULL);
        return null;
    }

    /** Ends the generation: releases what is held back (unless a stop string cut it) and completes the future. */
    StopReason finish(StopReason reason) {
        if (reason != StopReason.STOP_STRING) {
            // no stop string can complete any more: everything held back is text
            String tail = decoder.finish();
            if (!tail.isEmpty() && !pending.isEmpty()) {
                Pending last = pending.removeLast();
                pending.addLast(new Pending(last.id(), last.text() + tail, last.stats()));
                pendingText.append(tail);
            }
            release(pendingText.length(), true);
        }
        long end = System.nanoTime();
        long prefillEnd = firstLogits == 0 ? end : firstLogits;
        double sumLogProb = 0, minProb = 1;
        for (GeneratedToken t : emitted) {
            sumLogProb += t.logProb();
            minProb = Math.min(minProb, t.probability());
        }
        Completion completion = new Completion(text.toString(), emitted, prompt.length, emitted.size(),
                emitted.isEmpty() ? 0 : sumLogProb / emitted.size(), minProb, reason,
                Duration.ofNanos(Math.max(1, prefillEnd - admitted)), Duration.ofNanos(end - prefillEnd),
                reused);
        delivery.submit(() -> future.complete(completion));
        return reason;
    }

    /** Fails the generation (engine failure or shutdown). */
    void fail(Throwable error) {
        delivery.submit(() -> future.completeExceptionally(error));
    }

    /**
     * Emits pending tokens whose text lies before {@code limit}. With {@code all}, every pending token is emitted,
     * the one crossing {@code limit} cut there (a stop string's start) and later ones with empty text.
     */
    private void release(int limit, boolean all) {
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
            delivery.submit(() -> {
                if (future.isDone()) return; // cancelled: the caller wants no more tokens
                try {
                    listener.onToken(token);
                } catch (RuntimeException e) {
                    future.completeExceptionally(new GenerationException("the token listener failed: " + e, e));
                }
            });
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
