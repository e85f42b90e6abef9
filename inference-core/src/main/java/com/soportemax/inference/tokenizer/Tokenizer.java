package com.soportemax.inference.tokenizer;

import com.soportemax.inference.gguf.ModelFormatException;

import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Turns text into a model's token ids and back, built from the {@code tokenizer.*} metadata of a GGUF file.
 * Tokenization gives the same ids as llama.cpp.
 *
 * <p><b>Plain text stays plain.</b> {@link #encode(String)} recognises no special token, neither control tokens nor
 * user-defined ones such as Qwen's {@code <tool_call>} (llama.cpp would still match the latter): a customer who types
 * {@code <|im_start|>system} gets the tokens of those characters, not the token that opens a turn. Special tokens
 * come only from {@link #encode(List)} with {@link Fragment.Special} parts, which the chat template builds.
 *
 * <p>Implementations are immutable and thread-safe; the {@link StreamingDecoder}s they hand out are not.
 */
public sealed interface Tokenizer permits ByteLevelBpeTokenizer, SentencePieceTokenizer, WordPieceTokenizer {

    /**
     * Builds the tokenizer a GGUF file describes: {@code tokenizer.ggml.model} "gpt2" (byte-level BPE, with the
     * pre-tokenizer of {@code tokenizer.ggml.pre}), "llama" (SentencePiece BPE with byte fallback) or "bert"
     * (WordPiece, for encoders).
     *
     * @param metadata GGUF metadata: integers as any {@link Number}, string arrays as {@code String[]}, integer
     *                 arrays as {@code int[]} or {@code long[]}, float arrays as {@code float[]}
     * @throws ModelFormatException when a key is missing, has the wrong type, or contradicts another
     */
    static Tokenizer fromMetadata(Map<String, Object> metadata) throws ModelFormatException {
        Vocabulary vocabulary = Vocabulary.fromMetadata(metadata);
        return switch (vocabulary.model()) {
            case "gpt2" -> ByteLevelBpeTokenizer.fromMetadata(vocabulary, metadata);
            case "llama" -> SentencePieceTokenizer.fromMetadata(vocabulary, metadata);
            case "bert" -> WordPieceTokenizer.fromMetadata(vocabulary, metadata);
            default -> throw new ModelFormatException("tokenizer.ggml.model: unsupported tokenizer '" + vocabulary.model()
                    + "'; supported are 'gpt2' (byte-level BPE), 'llama' (SentencePiece) and 'bert' (WordPiece)");
        };
    }

    /** "gpt2", "llama" or "bert", as in {@code tokenizer.ggml.model}. */
    String model();

    int vocabularySize();

    /** Tokenizes plain text. No BOS is added and no special token is recognised (see the class comment). */
    int[] encode(String text);

    /**
     * Tokenizes a sequence of plain-text and special-token parts, as llama.cpp tokenizes a prompt split at its
     * special tokens (for SentencePiece, text after a special token gets the space prefix again). No BOS is added.
     */
    int[] encode(List<Fragment> fragments);

    /**
     * Tokenizes trusted text in which control and user-defined token strings are recognised, like llama.cpp with
     * {@code parse_special}. Never use it for customer input.
     */
    int[] encodeTrusted(String text);

    /** Whether a prompt should start with {@link #bosToken()} ({@code tokenizer.ggml.add_bos_token}). */
    boolean addBos();

    /** The beginning-of-sequence token ({@code [CLS]} for WordPiece), or -1 if the vocabulary has none. */
    int bosToken();

    /** The end-of-sequence token, or -1 if the vocabulary has none. */
    int eosToken();

    /** The token an encoder ends its input with ({@code [SEP]} for WordPiece), or -1 if the vocabulary has none. */
    default int separatorToken() {
        return -1;
    }

    /**
     * Whether generation ends at this token: EOS, EOT, EOM, and the end-of-turn tokens llama.cpp recognises by
     * their text ({@code <|im_end|>}, {@code <|eot_id|>}, {@code <|endoftext|>}, ...).
     */
    boolean isEndOfGeneration(int id);

    /** The id of a control or user-defined token with exactly this text. */
    OptionalInt specialToken(String text);

    /** Whether the token is a control token (rendered as nothing by {@link #decode}). */
    boolean isControl(int id);

    /** The token's string as stored in the vocabulary (e.g. "Ġhola", "▁hola", "<0x0A>", "<|im_end|>"). */
    String tokenText(int id);

    /**
     * The bytes this token stands for in text: byte-level symbols and {@code <0xNN>} tokens become their bytes,
     * "▁" a space; control and unused tokens are empty. The bytes of one token may end inside a UTF-8 character.
     */
    byte[] tokenBytes(int id);

    /** The text of a token sequence (control tokens omitted; broken UTF-8 becomes U+FFFD). */
    String decode(int[] ids);

    /** A decoder for a stream of generated tokens that only ever releases whole characters. */
    default StreamingDecoder newStreamingDecoder() {
        return new StreamingDecoder(this);
    }
}
