package com.soportemax.inference.tokenizer;

import com.soportemax.inference.gguf.ModelFormatException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GPT-2 style byte-level BPE ({@code tokenizer.ggml.model = "gpt2"}): the text is split into words by the
 * pre-tokenizer, each word's UTF-8 bytes start as one symbol each, and adjacent symbols are merged, lowest merge
 * rank first (leftmost on ties), until no pair has a merge.
 */
final class ByteLevelBpeTokenizer extends VocabularyTokenizer implements Tokenizer {

    private static final int WORD_CACHE_LIMIT = 1 << 16;
    /** Longer words are rare enough not to be worth remembering. */
    private static final int CACHED_WORD_LENGTH = 64;

    private final PreTokenizer preTokenizer;
    private final PairRanks ranks;
    /** The token a merge produces, by rank. */
    private final int[] mergeResults;
    private final int[] byteTokens = new int[256];
    private final Map<String, int[]> wordCache = new ConcurrentHashMap<>();

    private ByteLevelBpeTokenizer(Vocabulary vocabulary, PreTokenizer preTokenizer, PairRanks ranks,
                                  int[] mergeResults) throws ModelFormatException {
        super(vocabulary);
        this.preTokenizer = preTokenizer;
        this.ranks = ranks;
        this.mergeResults = mergeResults;
        for (int b = 0; b < 256; b++) {
            int id = vocabulary.id(String.valueOf(ByteLevel.charOf(b)));
            if (id < 0) {
                throw new ModelFormatException(String.format("tokenizer.ggml.tokens: byte 0x%02X has no token "
                        + "(\"%s\"); a byte-level BPE vocabulary needs all 256", b, ByteLevel.charOf(b)));
            }
            byteTokens[b] = id;
        }
    }

    static ByteLevelBpeTokenizer fromMetadata(Vocabulary vocabulary, Map<String, Object> metadata)
            throws ModelFormatException {
        String pre = Metadata.optionalString(metadata, "tokenizer.ggml.pre");
        if (pre == null) {
            System.getLogger(ByteLevelBpeTokenizer.class.getName()).log(System.Logger.Level.WARNING,
                    "tokenizer.ggml.pre is missing; using the 'default' pre-tokenizer as llama.cpp does, which may "
                            + "tokenize differently from the model's training");
        }
        PreTokenizer preTokenizer = PreTokenizer.forName(pre);
        if (preTokenizer == null) {
            throw new ModelFormatException("tokenizer.ggml.pre: pre-tokenizer '" + pre + "' is not supported; "
                    + "supported are 'default', 'gpt-2', 'llama-bpe', 'qwen2', 'qwen35' and 'smollm' (and their aliases)");
        }
        String[] merges = Metadata.requireStrings(metadata, "tokenizer.ggml.merges");
        PairRanks ranks = new PairRanks(merges.length);
        int[] results = new int[merges.length];
        for (int rank = 0; rank < merges.length; rank++) {
            String merge = merges[rank];
            int space = merge.indexOf(' ', 1);
            if (space < 0) {
                throw new ModelFormatException("tokenizer.ggml.merges: merge " + rank + " ('" + merge
                        + "') is not two symbols separated by a space");
            }
            String left = merge.substring(0, space);
            String right = merge.substring(space + 1);
            int l = vocabulary.id(left);
            int r = vocabulary.id(right);
            int result = vocabulary.id(left + right);
            if (l < 0 || r < 0 || result < 0) {
                throw new ModelFormatException("tokenizer.ggml.merges: merge " + rank + " ('" + merge
                        + "') uses or produces a string that is not in tokenizer.ggml.tokens");
            }
            ranks.putIfAbsent(l, r, rank);
            results[rank] = result;
        }
        return new ByteLevelBpeTokenizer(vocabulary, preTokenizer, ranks, results);
    }

    @Override
    public String model() {
        return "gpt2";
    }

    @Override
    byte[] normalTokenBytes(int id) {
        return ByteLevel.decode(vocabulary.text(id));
    }

    @Override
    void encodeText(String text, boolean afterSpecial, IntList out) {
        int[] codepoints = Utf8.codepoints(text);
        int start = 0;
        for (int end : preTokenizer.split(codepoints)) {
            String word = new String(codepoints, start, end - start);
            out.addAll(encodeWord(word));
            start = end;
        }
    }

    private int[] encodeWord(String word) {
        int[] cached = wordCache.get(word);
        if (cached != null) return cached;
        int[] ids = mergeWord(word.getBytes(StandardCharsets.UTF_8));
        if (word.length() <= CACHED_WORD_LENGTH) {
            if (wordCache.size() >= WORD_CACHE_LIMIT) wordCache.clear();
            wordCache.put(word, ids);
        }
        return ids;
    }

    private int[] mergeWord(byte[] utf8) {
        if (preTokenizer.ignoresMerges()) {
            int whole = vocabulary.id(ByteLevel.encode(utf8));
            if (whole >= 0) return new int[]{whole};
        }
        int n = utf8.length;
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) ids[i] = byteTokens[utf8[i] & 0xFF];
        if (n == 1) return ids;
        int[] next = new int[n];
        int[] prev = new int[n];
        boolean[] merged = new boolean[n];
        for (int i = 0; i < n; i++) {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
        }
        // candidates ordered by (rank, left position); entries made stale by earlier merges are skipped when popped
        LongHeap queue = new LongHeap(n);
        for (int i = 0; i + 1 < n; i++) offer(queue, ids, i, i + 1);
        int alive = n;
        while (!queue.isEmpty()) {
            long top = queue.poll();
            int rank = (int) (top >>> 32);
            int left = (int) top;
            int right = next[left];
            if (merged[left] || right < 0 || ranks.rank(ids[left], ids[right]) != rank) continue;
            ids[left] = mergeResults[rank];
            merged[right] = true;
            alive--;
            next[left] = next[right];
            if (next[right] >= 0) prev[next[right]] = left;
            if (prev[left] >= 0) offer(queue, ids, prev[left], left);
            if (next[left] >= 0) offer(queue, ids, left, next[left]);
        }
        int[] result = new int[alive];
        int k = 0;
        for (int i = 0; i >= 0; i = next[i]) result[k++] = ids[i];
        return result;
    }

    private void offer(LongHeap queue, int[] ids, int left, int right) {
        int rank = ranks.rank(ids[left], ids[right]);
        if (rank >= 0) queue.add(((long) rank << 32) | left);
    }

    /** A binary min-heap of longs. */
    private static final class LongHeap {
        private long[] heap;
        private int size;

        LongHeap(int capacity) {
            heap = new long[Math.max(4, capacity)];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void add(long value) {
            if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
            int i = size++;
            while (i > 0) {
                int parent = (i - 1) >>> 1;
                if (heap[parent] <= value) break;
                heap[i] = heap[parent];
                i = parent;
            }
            heap[i] = value;
        }

        long poll() {
            long top = heap[0];
            long last = heap[--size];
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) break;
                if (child + 1 < size && heap[child + 1] < heap[child]) child++;
                if (heap[child] >= last) break;
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = last;
            return top;
        }
    }
}
