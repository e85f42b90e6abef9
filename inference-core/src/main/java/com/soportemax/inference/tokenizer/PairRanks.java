package com.soportemax.inference.tokenizer;

import java.util.Arrays;

/** Open-addressing map from a pair of token ids to the rank of their merge: the BPE inner loop's only lookup. */
final class PairRanks {

    private final long[] keys;
    private final int[] ranks;
    private final int mask;

    PairRanks(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        keys = new long[capacity];
        ranks = new int[capacity];
        Arrays.fill(keys, -1L);
        mask = capacity - 1;
    }

    private static long key(int left, int right) {
        return ((long) left << 32) | (right & 0xFFFFFFFFL);
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 29));
    }

    /** Adds the pair unless present: the first (lowest) rank of a duplicated merge wins, as in llama.cpp. */
    void putIfAbsent(int left, int right, int rank) {
        long key = key(left, right);
        int slot = hash(key) & mask;
        while (keys[slot] != -1L) {
            if (keys[slot] == key) return;
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        ranks[slot] = rank;
    }

    /** The merge rank of the pair, or -1. */
    int rank(int left, int right) {
        long key = key(left, right);
        int slot = hash(key) & mask;
        long k;
        while ((k = keys[slot]) != -1L) {
            if (k == key) return ranks[slot];
            slot = (slot + 1) & mask;
        }
        return -1;
    }
}
