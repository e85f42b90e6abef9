package com.soportemax.inference.model;

import com.soportemax.inference.tensor.PagedAttention;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Native memory for the KV caches of one model: fp16 pages of {@link PagedAttention#BLOCK_TOKENS} positions, each
 * holding the keys and values of every layer for those positions. Pages are allocated as sequences grow (memory
 * follows use, not the context window), reference-counted so that sequences can share a prefix (copy-on-write,
 * see {@link KvSequence#fork}), and recycled when released. Thread-safe.
 *
 * <p>Page layout: for layer l, keys (kind 0) or values (kind 1), element e in [0, kvDim), position slot t:
 * half number {@code ((l * 2 + kind) * kvDim + e) * BLOCK_TOKENS + t}.
 */
public final class KvMemory {

    private static final int PAGES_PER_CHUNK = 16;

    private final Arena arena = Arena.ofAuto();
    private final int kvDim;
    private final long pageBytes;
    private final List<MemorySegment> pages = new ArrayList<>();
    private int[] references = new int[PAGES_PER_CHUNK];
    private int[] free = new int[PAGES_PER_CHUNK];
    private int freeCount;
    private int inUse;

    public KvMemory(Configuration config) {
        this.kvDim = config.kvDim();
        this.pageBytes = 2L * config.blockCount() * 2 * kvDim * PagedAttention.BLOCK_TOKENS;
    }

    /** Bytes of one page (all layers, keys and values, {@code BLOCK_TOKENS} positions). */
    public long pageBytes() {
        return pageBytes;
    }

    /** Pages currently held by some sequence. */
    public synchronized int pagesInUse() {
        return inUse;
    }

    /** Native bytes allocated so far (in use or recycled). */
    public synchronized long bytesAllocated() {
        return pages.size() * pageBytes;
    }

    /** Byte offset, within a page, of element 0 of a layer's keys. */
    long keyOffset(int layer) {
        return (long) (layer * 2) * kvDim * PagedAttention.ELEMENT_STRIDE;
    }

    /** Byte offset, within a page, of element 0 of a layer's values. */
    long valueOffset(int layer) {
        return (long) (layer * 2 + 1) * kvDim * PagedAttention.ELEMENT_STRIDE;
    }

    synchronized int allocate() {
        if (freeCount == 0) {
            MemorySegment chunk = arena.allocate(pageBytes * PAGES_PER_CHUNK, 64);
            int first = pages.size();
            for (int i = 0; i < PAGES_PER_CHUNK; i++) {
                pages.add(chunk.asSlice(i * pageBytes, pageBytes));
            }
            if (references.length < pages.size()) {
                references = Arrays.copyOf(references, pages.size() * 2);
                free = Arrays.copyOf(free, pages.size() * 2);
            }
            for (int i = PAGES_PER_CHUNK - 1; i >= 0; i--) free[freeCount++] = first + i;
        }
        int page = free[--freeCount];
        references[page] = 1;
        inUse++;
        return page;
    }

    synchronized MemorySegment page(int id) {
        return pages.get(id);
    }

    synchronized void retain(int page) {
        if (references[page] <= 0) throw new IllegalStateException("page " + page + " is not in use");
        references[page]++;
    }

    synchronized void release(int page) {
        if (references[page] <= 0) throw new IllegalStateException("page " + page + " released twice");
        if (--references[page] == 0) {
            free[freeCount++] = page;
            inUse--;
        }
    }

    synchronized boolean shared(int page) {
        return references[page] > 1;
    }
}
