package com.soportemax.inference.engine;

import com.soportemax.inference.model.KvMemory;
import com.soportemax.inference.model.KvSequence;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * KV caches kept after their generation, so that a later prompt starting with the same tokens (the system prompt,
 * a passage retrieved again, a conversation's earlier turns) prefills only the rest. Entries share pages with the
 * sequences they came from and with each other (copy-on-write, see {@link KvSequence#fork}); the distinct pages
 * held stay within a byte budget, least recently used entries evicted first. A conversation's entry (stored under
 * its session key at the end of a turn) also expires a while after its last use. Thread-safe.
 */
final class PrefixCache {

    private static final class Entry {
        final int[] tokens;
        final KvSequence kv;
        final Optional<String> session;
        long lastUsed;

        Entry(int[] tokens, KvSequence kv, Optional<String> session, long now) {
            this.tokens = tokens;
            this.kv = kv;
            this.session = session;
            this.lastUsed = now;
        }
    }

    /** A prefix found in the cache: a private fork holding {@code length} positions of the prompt. */
    record Hit(KvSequence kv, int length) {
    }

    private final KvMemory memory;
    private final long budgetBytes;
    private final long sessionTtlNanos;
    private final LongSupplier nanoTime;
    private final List<Entry> entries = new ArrayList<>();

    PrefixCache(KvMemory memory, long budgetBytes, java.time.Duration sessionTtl, LongSupplier nanoTime) {
        this.memory = memory;
        this.budgetBytes = budgetBytes;
        this.sessionTtlNanos = sessionTtl.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * The longest cached prefix of {@code prompt}, leaving at least its last token to compute (its logits start the
     * generation), forked into a sequence of {@code limit} positions; empty when nothing useful is cached.
     */
    synchronized Optional<Hit> lookup(int[] prompt, int limit) {
        expire();
        Entry best = null;
        int bestLength = 0;
        for (Entry e : entries) {
            int n = commonPrefix(e.tokens, prompt);
            if (n > bestLength) {
                best = e;
                bestLength = n;
            }
        }
        bestLength = Math.min(bestLength, prompt.length - 1);
        if (best == null || bestLength <= 0) return Optional.empty();
        best.lastUsed = nanoTime.getAsLong();
        return Optional.of(new Hit(best.kv.fork(bestLength, limit), bestLength));
    }

    /**
     * Keeps the KV of {@code tokens} (the first {@code tokens.length} positions of {@code kv}, which stays the
     * caller's). An entry that is a prefix of the new one is replaced by it; so is the session's previous turn.
     */
    synchronized void store(int[] tokens, KvSequence kv, Optional<String> session) {
        if (tokens.length == 0 || budgetBytes == 0) return;
        long now = nanoTime.getAsLong();
        for (Entry e : entries) {
            if (e.session.equals(session) && e.tokens.length >= tokens.length
                    && commonPrefix(e.tokens, tokens) == tokens.length) {
                e.lastUsed = now; // already held
                return;
            }
        }
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            boolean covered = e.tokens.length <= tokens.length && commonPrefix(e.tokens, tokens) == e.tokens.length;
            boolean sameSession = session.isPresent() && e.session.equals(session);
            if (sameSession || covered && e.session.isEmpty()) {
                e.kv.release();
                it.remove();
            }
        }
        entries.add(new Entry(tokens.clone(), kv.fork(tokens.length, tokens.length), session, now));
        evictToBudget();
    }

    /** Distinct bytes of KV the cache holds (pages shared between entries counted once). */
    synchronized long bytesHeld() {
        BitSet pages = new BitSet();
        for (Entry e : entries) {
            for (int p : e.kv.pageIds()) pages.set(p);
        }
        return pages.cardinality() * memory.pageBytes();
    }

    synchronized int size() {
        return entries.size();
    }

    synchronized void clear() {
        for (Entry e : entries) e.kv.release();
        entries.clear();
    }

    private void expire() {
        long now = nanoTime.getAsLong();
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.session.isPresent() && now - e.lastUsed > sessionTtlNanos) {
                e.kv.release();
                it.remove();
            }
        }
    }

    private void evictToBudget() {
        expire();
        while (!entries.isEmpty() && bytesHeld() > budgetBytes) {
            Entry oldest = entries.getFirst();
            for (Entry e : entries) if (e.lastUsed < oldest.lastUsed) oldest = e;
            oldest.kv.release();
            entries.remove(oldest);
        }
    }

    static int commonPrefix(int[] a, int[] b) {
        int n = Math.min(a.length, b.length);
        int i = 0;
        while (i < n && a[i] == b[i]) i++;
        return i;
    }
}
