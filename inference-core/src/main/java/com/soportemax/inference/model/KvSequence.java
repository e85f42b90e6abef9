package com.soportemax.inference.model;

import com.soportemax.inference.tensor.PagedAttention;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * The KV cache of one sequence: its pages in {@link KvMemory}, in position order, and how many positions are
 * filled. Pages are taken as the sequence grows. Forking shares the pages of a prefix; a shared page is copied
 * before it is written (copy-on-write), so sequences never see each other's later tokens. Not thread-safe: one
 * generation (or the scheduler) uses a sequence at a time; {@link #release()} gives its pages back.
 */
public final class KvSequence {

    private final KvMemory memory;
    private final int limit;
    private int[] pageIds = new int[4];
    MemorySegment[] pages = new MemorySegment[4];
    private int pageCount;
    private int length;
    private boolean released;

    KvSequence(KvMemory memory, int limit) {
        if (limit <= 0) throw new IllegalArgumentException("a sequence needs room for at least one token");
        this.memory = memory;
        this.limit = limit;
    }

    /** A new empty sequence of at most {@code limit} positions. */
    public static KvSequence create(KvMemory memory, int limit) {
        return new KvSequence(memory, limit);
    }

    KvMemory memory() {
        return memory;
    }

    /** Positions filled. */
    public int length() {
        return length;
    }

    /** The most positions this sequence may hold. */
    public int limit() {
        return limit;
    }

    /** Pages held (shared ones included). */
    public int pageCount() {
        return pageCount;
    }

    /** The ids of the pages held, for memory accounting. */
    public int[] pageIds() {
        return Arrays.copyOf(pageIds, pageCount);
    }

    /** A new sequence holding the first {@code prefix} positions of this one (shared pages), room for {@code limit}. */
    public KvSequence fork(int prefix, int limit) {
        checkOpen();
        if (prefix < 0 || prefix > length) {
            throw new IllegalArgumentException("cannot fork " + prefix + " of " + length + " positions");
        }
        if (prefix > limit) throw new IllegalArgumentException("prefix " + prefix + " exceeds the limit " + limit);
        KvSequence copy = new KvSequence(memory, limit);
        int shared = (prefix + PagedAttention.BLOCK_TOKENS - 1) / PagedAttention.BLOCK_TOKENS;
        for (int p = 0; p < shared; p++) {
            memory.retain(pageIds[p]);
            copy.add(pageIds[p], pages[p]);
        }
        copy.length = prefix;
        return copy;
    }

    /** Forgets positions from {@code newLength} on, returning the pages no longer needed. */
    public void truncate(int newLength) {
        checkOpen();
        if (newLength < 0 || newLength > length) {
            throw new IllegalArgumentException("cannot truncate " + length + " positions to " + newLength);
        }
        int keep = (newLength + PagedAttention.BLOCK_TOKENS - 1) / PagedAttention.BLOCK_TOKENS;
        while (pageCount > keep) {
            memory.release(pageIds[--pageCount]);
            pages[pageCount] = null;
        }
        length = newLength;
    }

    /** Gives every page back; the sequence cannot be used afterwards. Idempotent. */
    public void release() {
        if (released) return;
        truncate(0);
        released = true;
    }

    /**
     * Makes positions [length, length + count) writable: new pages where there are none, a private copy of a
     * shared page that would be written.
     */
    void reserve(int count) {
        checkOpen();
        if (length + count > limit) {
            throw new IllegalStateException("KV cache full: " + length + " + " + count + " > " + limit);
        }
        int first = length / PagedAttention.BLOCK_TOKENS;
        int last = (length + count - 1) / PagedAttention.BLOCK_TOKENS;
        for (int p = first; p <= last; p++) {
            if (p < pageCount) {
                if (memory.shared(pageIds[p])) {
                    int copy = memory.allocate();
                    MemorySegment target = memory.page(copy);
                    target.copyFrom(pages[p]);
                    memory.release(pageIds[p]);
                    pageIds[p] = copy;
                    pages[p] = target;
                }
            } else {
                int page = memory.allocate();
                add(page, memory.page(page));
            }
        }
    }

    void advance(int count) {
        length += count;
    }

    private void add(int id, MemorySegment page) {
        if (pageCount == pageIds.length) {
            pageIds = Arrays.copyOf(pageIds, pageCount * 2);
            pages = Arrays.copyOf(pages, pageCount * 2);
        }
        pageIds[pageCount] = id;
        pages[pageCount++] = page;
    }

    private void checkOpen() {
        if (released) throw new IllegalStateException("the sequence was released");
    }
}
