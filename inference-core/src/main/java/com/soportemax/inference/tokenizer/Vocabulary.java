package com.soportemax.inference.tokenizer;

import com.soportemax.inference.gguf.ModelFormatException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The token table shared by both tokenizer kinds: token strings, types, special ids and the end-of-generation set. */
final class Vocabulary {

    private static final System.Logger LOG = System.getLogger(Vocabulary.class.getName());

    // GGUF tokenizer.ggml.token_type values
    static final int NORMAL = 1;
    static final int UNKNOWN = 2;
    static final int CONTROL = 3;
    static final int USER_DEFINED = 4;
    static final int UNUSED = 5;
    static final int BYTE = 6;

    /** Token texts llama.cpp treats as end of generation whatever the metadata says. */
    private static final Set<String> END_OF_GENERATION_TEXTS = Set.of(
            "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<end_of_turn>", "<|endoftext|>",
            "<|eom_id|>", "<EOT>", "_<EOT>", "<|end_of_text|>", "<end_of_utterance>");

    private final String model;
    private final String[] tokens;
    private final int[] types;
    private final Map<String, Integer> ids;
    private final int bos;
    private final int eos;
    private final int unknown;
    private final boolean addBos;
    private final BitSet endOfGeneration;
    /** Control, user-defined and unknown tokens, longest text first: the order llama.cpp matches them in. */
    private final int[] specialsLongestFirst;

    private Vocabulary(String model, String[] tokens, int[] types, Map<String, Integer> ids, int bos, int eos,
                       int unknown, boolean addBos, BitSet endOfGeneration, int[] specialsLongestFirst) {
        this.model = model;
        this.tokens = tokens;
        this.types = types;
        this.ids = ids;
        this.bos = bos;
        this.eos = eos;
        this.unknown = unknown;
        this.addBos = addBos;
        this.endOfGeneration = endOfGeneration;
        this.specialsLongestFirst = specialsLongestFirst;
    }

    static Vocabulary fromMetadata(Map<String, Object> metadata) throws ModelFormatException {
        String model = Metadata.requireString(metadata, "tokenizer.ggml.model");
        String[] tokens = Metadata.requireStrings(metadata, "tokenizer.ggml.tokens");
        if (tokens.length == 0) throw new ModelFormatException("tokenizer.ggml.tokens: the vocabulary is empty");
        int[] types = Metadata.optionalInts(metadata, "tokenizer.ggml.token_type");
        if (types == null) {
            types = new int[tokens.length];
            Arrays.fill(types, NORMAL);
        } else if (types.length != tokens.length) {
            throw new ModelFormatException("tokenizer.ggml.token_type: " + types.length + " types for "
                    + tokens.length + " tokens; the arrays must be the same length");
        }
        Map<String, Integer> ids = HashMap.newHashMap(tokens.length);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] == null) throw new ModelFormatException("tokenizer.ggml.tokens: token " + i + " is null");
            ids.put(tokens[i], i); // like llama.cpp, a duplicated text maps to its last id
        }
        boolean sentencePiece = "llama".equals(model);
        // llama.cpp's defaults for BERT vocabularies: [CLS] 101, [UNK] 100
        boolean wordPiece = "bert".equals(model);
        int bos = tokenId(metadata, "tokenizer.ggml.bos_token_id", tokens.length, sentencePiece ? 1 : wordPiece
                ? tokenId(metadata, "tokenizer.ggml.cls_token_id", tokens.length, 101) : -1);
        int eos = tokenId(metadata, "tokenizer.ggml.eos_token_id", tokens.length, sentencePiece ? 2 : -1);
        int unknown = tokenId(metadata, "tokenizer.ggml.unknown_token_id", tokens.length,
                sentencePiece ? 0 : wordPiece ? 100 : -1);
        int eot = tokenId(metadata, "tokenizer.ggml.eot_token_id", tokens.length, -1);
        int eom = tokenId(metadata, "tokenizer.ggml.eom_token_id", tokens.length, -1);
        String pre = Metadata.optionalString(metadata, "tokenizer.ggml.pre");
        boolean defaultAddBos = sentencePiece || wordPiece || "llama-bpe".equals(pre) || "llama3".equals(pre);
        Boolean addBosKey = Metadata.optionalBoolean(metadata, "tokenizer.ggml.add_bos_token");
        boolean addBos = addBosKey != null ? addBosKey : defaultAddBos && bos >= 0;
        if (addBos && bos < 0) {
            Object given = metadata.get("tokenizer.ggml.bos_token_id");
            throw new ModelFormatException("tokenizer.ggml.add_bos_token asks for a BOS token but "
                    + (given == null ? "there is no tokenizer.ggml.bos_token_id"
                    : "tokenizer.ggml.bos_token_id " + given + " is outside the vocabulary of " + tokens.length
                    + " tokens"));
        }

        BitSet endOfGeneration = new BitSet(tokens.length);
        for (int id : new int[]{eos, eot, eom}) if (id >= 0) endOfGeneration.set(id);
        for (String text : END_OF_GENERATION_TEXTS) {
            Integer id = ids.get(text);
            if (id != null) endOfGeneration.set(id);
        }

        List<Integer> specials = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            int type = types[i];
            if ((type == CONTROL || type == USER_DEFINED || type == UNKNOWN) && !tokens[i].isEmpty()) specials.add(i);
        }
        specials.sort(Comparator.comparingInt((Integer i) -> tokens[i].length()).reversed());
        int[] specialIds = specials.stream().mapToInt(Integer::intValue).toArray();
        return new Vocabulary(model, tokens, types, ids, bos, eos, unknown, addBos, endOfGeneration, specialIds);
    }

    /**
     * A special token id; one outside the vocabulary is ignored with a warning, as llama.cpp does, because real
     * model files carry such ids (a padding id one past the end, say) and load everywhere else.
     */
    private static int tokenId(Map<String, Object> metadata, String key, int size, int fallback)
            throws ModelFormatException {
        Long value = Metadata.optionalLong(metadata, key);
        if (value == null) return fallback < size ? fallback : -1;
        if (value < 0 || value >= size) {
            LOG.log(System.Logger.Level.WARNING, "{0}: token id {1} is outside the vocabulary of {2} tokens; ignored",
                    key, value, size);
            return -1;
        }
        return value.intValue();
    }

    String model() {
        return model;
    }

    int size() {
        return tokens.length;
    }

    String text(int id) {
        checkId(id);
        return tokens[id];
    }

    int type(int id) {
        checkId(id);
        return types[id];
    }

    /** The id of the token with exactly this text, or -1. */
    int id(String text) {
        Integer id = ids.get(text);
        return id == null ? -1 : id;
    }

    int bos() {
        return bos;
    }

    int eos() {
        return eos;
    }

    int unknown() {
        return unknown;
    }

    boolean addBos() {
        return addBos;
    }

    boolean isEndOfGeneration(int id) {
        return id >= 0 && endOfGeneration.get(id);
    }

    /** The id of a control, user-defined or unknown token with this text, or -1. */
    int special(String text) {
        int id = id(text);
        if (id < 0) return -1;
        int type = types[id];
        return type == CONTROL || type == USER_DEFINED || type == UNKNOWN ? id : -1;
    }

    void checkId(int id) {
        if (id < 0 || id >= tokens.length) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + tokens.length
                    + " tokens");
        }
    }

    /**
     * Splits trusted text at every occurrence of a special token's text, longest tokens first, as llama.cpp does
     * with {@code parse_special}.
     */
    List<Fragment> splitAtSpecialTokens(String text) {
        List<Fragment> fragments = new ArrayList<>();
        fragments.add(Fragment.text(text));
        for (int id : specialsLongestFirst) {
            String special = tokens[id];
            if (!text.contains(special)) continue;
            List<Fragment> next = new ArrayList<>(fragments.size() + 2);
            for (Fragment fragment : fragments) {
                if (!(fragment instanceof Fragment.Text(String part)) || !part.contains(special)) {
                    next.add(fragment);
                    continue;
                }
                int from = 0;
                int at;
                while ((at = part.indexOf(special, from)) >= 0) {
                    if (at > from) next.add(Fragment.text(part.substring(from, at)));
                    next.add(Fragment.special(id));
                    from = at + special.length();
                }
                if (from < part.length()) next.add(Fragment.text(part.substring(from)));
            }
            fragments = next;
        }
        return fragments;
    }
}
