package com.soportemax.inference.synthetic;

import com.soportemax.inference.tokenizer.ByteLevel;
import com.soportemax.inference.tokenizer.PreTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the {@code tokenizer.*} metadata of random-weight test models: a valid vocabulary of the real size with the
 * real special tokens at their real ids, the real chat template, and merges that llama.cpp accepts.
 *
 * <p>The merges are first learnt from a small built-in Spanish and English support corpus (most frequent pair first,
 * as BPE is trained), so common words tokenize the way they would with a trained tokenizer; the rest up to the size
 * are random but deterministic: each joins an existing token with a short one. Every merge result is a token and all
 * 256 byte symbols are present (GPT-2's byte-to-character mapping), as a byte-level BPE vocabulary requires.
 */
public final class SyntheticVocabulary {

    // SentencePiece marks a space with U+2581 LOWER ONE EIGHTH BLOCK
    private static final char SPACE = '\u2581';
    // GGUF tokenizer.ggml.token_type values (llama.cpp's llama_token_type)
    private static final int NORMAL = 1, UNKNOWN = 2, CONTROL = 3, USER_DEFINED = 4, UNUSED = 5, BYTE = 6;

    /** Qwen2.5-Instruct's chat template (tokenizer_config.json of Qwen/Qwen2.5-0.5B-Instruct). */
    static final String QWEN2_5_TEMPLATE = """
            {%- if tools %}
                {{- '<|im_start|>system\\n' }}
                {%- if messages[0]['role'] == 'system' %}
                    {{- messages[0]['content'] }}
                {%- else %}
                    {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
                {%- endif %}
                {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
                {%- for tool in tools %}
                    {{- "\\n" }}
                    {{- tool | tojson }}
                {%- endfor %}
                {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
            {%- else %}
                {%- if messages[0]['role'] == 'system' %}
                    {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
                {%- else %}
                    {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
                {%- endif %}
            {%- endif %}
            {%- for message in messages %}
                {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
                    {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
                {%- elif message.role == "assistant" %}
                    {{- '<|im_start|>' + message.role }}
                    {%- if message.content %}
                        {{- '\\n' + message.content }}
                    {%- endif %}
                    {%- for tool_call in message.tool_calls %}
                        {%- if tool_call.function is defined %}
                            {%- set tool_call = tool_call.function %}
                        {%- endif %}
                        {{- '\\n<tool_call>\\n{"name": "' }}
                        {{- tool_call.name }}
                        {{- '", "arguments": ' }}
                        {{- tool_call.arguments | tojson }}
                        {{- '}\\n</tool_call>' }}
                    {%- endfor %}
                    {{- '<|im_end|>\\n' }}
                {%- elif message.role == "tool" %}
                    {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
                        {{- '<|im_start|>user' }}
                    {%- endif %}
                    {{- '\\n<tool_response>\\n' }}
                    {{- message.content }}
                    {{- '\\n</tool_response>' }}
                    {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
                        {{- '<|im_end|>\\n' }}
                    {%- endif %}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
            {%- endif %}
            """;

    /** Llama-3.2-Instruct's chat template (as shipped with meta-llama/Llama-3.2-1B-Instruct). */
    static final String LLAMA3_2_TEMPLATE = """
            {{- bos_token }}
            {%- if custom_tools is defined %}
                {%- set tools = custom_tools %}
            {%- endif %}
            {%- if not tools_in_user_message is defined %}
                {%- set tools_in_user_message = true %}
            {%- endif %}
            {%- if not date_string is defined %}
                {%- if strftime_now is defined %}
                    {%- set date_string = strftime_now("%d %b %Y") %}
                {%- else %}
                    {%- set date_string = "26 Jul 2024" %}
                {%- endif %}
            {%- endif %}
            {%- if not tools is defined %}
                {%- set tools = none %}
            {%- endif %}

            {#- This block extracts the system message, so we can slot it into the right place. #}
            {%- if messages[0]['role'] == 'system' %}
                {%- set system_message = messages[0]['content']|trim %}
                {%- set messages = messages[1:] %}
            {%- else %}
                {%- set system_message = "" %}
            {%- endif %}

            {#- System message #}
            {{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
            {%- if tools is not none %}
                {{- "Environment: ipython\\n" }}
            {%- endif %}
            {{- "Cutting Knowledge Date: December 2023\\n" }}
            {{- "Today Date: " + date_string + "\\n\\n" }}
            {%- if tools is not none and not tools_in_user_message %}
                {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}
                {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
                {{- "Do not use variables.\\n\\n" }}
                {%- for t in tools %}
                    {{- t | tojson(indent=4) }}
                    {{- "\\n\\n" }}
                {%- endfor %}
            {%- endif %}
            {{- system_message }}
            {{- "<|eot_id|>" }}

            {#- Custom tools are passed in a user message with some extra guidance #}
            {%- if tools_in_user_message and not tools is none %}
                {#- Extract the first user message so we can plug it in here #}
                {%- if messages | length != 0 %}
                    {%- set first_user_message = messages[0]['content']|trim %}
                    {%- set messages = messages[1:] %}
                {%- else %}
                    {{- raise_exception("Cannot put tools in the first user message when there's no first user message!") }}
            {%- endif %}
                {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}
                {{- "Given the following functions, please respond with a JSON for a function call " }}
                {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}
                {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
                {{- "Do not use variables.\\n\\n" }}
                {%- for t in tools %}
                    {{- t | tojson(indent=4) }}
                    {{- "\\n\\n" }}
                {%- endfor %}
                {{- first_user_message + "<|eot_id|>"}}
            {%- endif %}

            {%- for message in messages %}
                {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
                    {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
                {%- elif 'tool_calls' in message %}
                    {%- if not message.tool_calls|length == 1 %}
                        {{- raise_exception("This model only supports single tool-calls at once!") }}
                    {%- endif %}
                    {%- set tool_call = message.tool_calls[0].function %}
                    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
                    {{- '{"name": "' + tool_call.name + '", ' }}
                    {{- '"parameters": ' }}
                    {{- tool_call.arguments | tojson }}
                    {{- "}" }}
                    {{- "<|eot_id|>" }}
                {%- elif message.role == "tool" or message.role == "ipython" %}
                    {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}
                    {%- if message.content is mapping or message.content is iterable %}
                        {{- message.content | tojson }}
                    {%- else %}
                        {{- message.content }}
                    {%- endif %}
                    {{- "<|eot_id|>" }}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
            {%- endif %}
            """;

    /** SmolLM2-Instruct's chat template (HuggingFaceTB/SmolLM2-360M-Instruct). */
    static final String SMOLLM2_TEMPLATE = "{% for message in messages %}{% if loop.first and messages[0]['role'] != "
            + "'system' %}{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face"
            + "<|im_end|>\n' }}{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>'"
            + " + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

    /** The classic ChatML template, without a default system prompt. */
    /**
     * Qwen3's chat template (tokenizer_config.json of Qwen/Qwen3-0.6B) without its tool-calling branches: enough for
     * the engine to recognise it (ChatML turns, {@code enable_thinking}) and for the tests to render it.
     */
    static final String QWEN3_TEMPLATE = """
            {%- if messages[0].role == 'system' %}
                {{- '<|im_start|>system\\n' + messages[0].content + '<|im_end|>\\n' }}
            {%- endif %}
            {%- set ns = namespace(last_query_index=messages|length - 1) %}
            {%- for message in messages %}
                {%- if message.role == "user" %}{%- set ns.last_query_index = loop.index0 %}{%- endif %}
            {%- endfor %}
            {%- for message in messages %}
                {%- set content = message.content %}
                {%- if (message.role == "user") or (message.role == "system" and not loop.first) %}
                    {{- '<|im_start|>' + message.role + '\\n' + content + '<|im_end|>' + '\\n' }}
                {%- elif message.role == "assistant" %}
                    {%- if '</think>' in content %}
                        {%- set content = content.split('</think>')[-1].lstrip('\\n') %}
                    {%- endif %}
                    {%- if loop.index0 > ns.last_query_index and loop.last %}
                        {{- '<|im_start|>' + message.role + '\\n<think>\\n\\n</think>\\n\\n' + content.lstrip('\\n') }}
                    {%- else %}
                        {{- '<|im_start|>' + message.role + '\\n' + content }}
                    {%- endif %}
                    {{- '<|im_end|>\\n' }}
                {%- endif %}
            {%- endfor %}
            {%- if add_generation_prompt %}
                {{- '<|im_start|>assistant\\n' }}
                {%- if enable_thinking is defined and enable_thinking is false %}
                    {{- '<think>\\n\\n</think>\\n\\n' }}
                {%- endif %}
            {%- endif %}
            """;

    static final String CHATML_TEMPLATE = "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
            + "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
            + "{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private static final List<String> QWEN_SPECIALS = List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>",
            "<|object_ref_start|>", "<|object_ref_end|>", "<|box_start|>", "<|box_end|>", "<|quad_start|>",
            "<|quad_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>",
            "<tool_call>", "</tool_call>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>", "<|fim_pad|>",
            "<|repo_name|>", "<|file_sep|>");
    /** Qwen3 adds these after Qwen2.5's specials (ids 151665-151668). */
    private static final List<String> QWEN3_SPECIALS = List.of("<tool_response>", "</tool_response>", "<think>",
            "</think>");

    /** Merges learnt from the corpus, per pre-tokenizer (the words BPE is trained on depend on it). */
    private static final Map<String, List<String>> LEARNT = new ConcurrentHashMap<>();
    private static final Map<String, List<String>> LEARNT_PIECES = new ConcurrentHashMap<>();
    /** Finished byte-level vocabularies: tests and tools ask for the same few again and again. */
    private static final Map<String, Bpe> MADE = new ConcurrentHashMap<>();

    private SyntheticVocabulary() {
    }

    /**
     * The tokenizer metadata of a model shape: "qwen2.5-0.5b" (151936 tokens, pre "qwen2", Qwen's special tokens
     * from id 151643, ChatML template with Qwen's default system prompt), "llama-3.2-1b" (128256 tokens, pre
     * "llama-bpe", {@code <|begin_of_text|>} = 128000 ... {@code <|eot_id|>} = 128009, Llama 3.2 template) or
     * "tiny" (4096 tokens, pre "smollm", SmolLM2's layout and template).
     */
    public static Map<String, Object> forShape(String shape) {
        return switch (shape.toLowerCase(Locale.ROOT)) {
            case "qwen2.5-0.5b" -> qwen25();
            case "qwen3-0.6b" -> qwen3();
            case "llama-3.2-1b" -> llama32();
            case "tiny" -> tiny();
            default -> throw new IllegalArgumentException("unknown shape '" + shape
                    + "' (known: qwen2.5-0.5b, qwen3-0.6b, llama-3.2-1b, tiny)");
        };
    }

    /**
     * A byte-level BPE vocabulary of {@code size} tokens for pre-tokenizer {@code pre}; its last three tokens are
     * {@code <|endoftext|>} (BOS and EOS), {@code <|im_start|>} and {@code <|im_end|>}, with a plain ChatML template.
     */
    public static Map<String, Object> gpt2Style(int size, String pre, long seed) {
        if (size < 256 + 3) throw new IllegalArgumentException("a byte-level vocabulary needs at least 259 tokens");
        Bpe bpe = byteLevelBpe(size - 3, pre, seed);
        List<String> tokens = new ArrayList<>(bpe.tokens);
        tokens.addAll(List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>"));
        int[] types = normalTypes(tokens.size());
        for (int i = size - 3; i < size; i++) types[i] = CONTROL;
        Map<String, Object> m = gpt2Metadata(pre, tokens, types, bpe.merges);
        m.put("tokenizer.ggml.bos_token_id", size - 3);
        m.put("tokenizer.ggml.eos_token_id", size - 3);
        m.put("tokenizer.ggml.add_bos_token", false);
        m.put("tokenizer.chat_template", CHATML_TEMPLATE);
        return m;
    }

    /**
     * A SentencePiece BPE vocabulary ({@code tokenizer.ggml.model = "llama"}) of {@code size} tokens: {@code <unk>},
     * {@code <s>}, {@code </s>}, the 256 byte tokens {@code <0x00>}...{@code <0xFF>}, then scored pieces.
     */
    public static Map<String, Object> sentencePiece(int size, long seed) {
        if (size < 3 + 256 + 64) throw new IllegalArgumentException("a SentencePiece vocabulary needs at least 323 tokens");
        List<String> tokens = new ArrayList<>(List.of("<unk>", "<s>", "</s>"));
        List<Integer> types = new ArrayList<>(List.of(UNKNOWN, CONTROL, CONTROL));
        List<Float> scores = new ArrayList<>(List.of(0f, 0f, 0f));
        for (int b = 0; b < 256; b++) {
            tokens.add(String.format("<0x%02X>", b));
            types.add(BYTE);
            scores.add(0f);
        }
        Set<String> known = new HashSet<>(tokens);
        List<String> pieces = LEARNT_PIECES.computeIfAbsent("spm", k -> learnPieces());
        // pieces: first the corpus characters, then merge results by rank
        int learnt = 0;
        for (String piece : pieces) {
            if (tokens.size() >= size) break;
            if (!known.add(piece)) continue;
            tokens.add(piece);
            types.add(NORMAL);
            scores.add(-(float) learnt++);
        }
        int shortPieces = tokens.size();
        SplittableRandom random = new SplittableRandom(seed);
        while (tokens.size() < size) {
            String a = tokens.get(259 + random.nextInt(tokens.size() - 259));
            String b = tokens.get(259 + random.nextInt(shortPieces - 259));
            String joined = a + b;
            if (b.charAt(0) == SPACE || joined.length() > 16 || !known.add(joined)) continue;
            tokens.add(joined);
            types.add(NORMAL);
            scores.add(-(float) learnt++);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "llama");
        m.put("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        float[] scoreArray = new float[scores.size()];
        for (int i = 0; i < scoreArray.length; i++) scoreArray[i] = scores.get(i);
        m.put("tokenizer.ggml.scores", scoreArray);
        m.put("tokenizer.ggml.token_type", types.stream().mapToInt(Integer::intValue).toArray());
        m.put("tokenizer.ggml.bos_token_id", 1);
        m.put("tokenizer.ggml.eos_token_id", 2);
        m.put("tokenizer.ggml.unknown_token_id", 0);
        m.put("tokenizer.ggml.add_bos_token", true);
        m.put("tokenizer.ggml.add_eos_token", false);
        m.put("tokenizer.ggml.add_space_prefix", true);
        return m;
    }

    private static Map<String, Object> qwen25() {
        return qwen(QWEN_SPECIALS, QWEN2_5_TEMPLATE);
    }

    /** Qwen3's vocabulary: Qwen2.5's with the thinking and tool-response tokens; im_end ends a turn. */
    private static Map<String, Object> qwen3() {
        List<String> specials = new ArrayList<>(QWEN_SPECIALS);
        specials.addAll(QWEN3_SPECIALS);
        return qwen(specials, QWEN3_TEMPLATE);
    }

    private static Map<String, Object> qwen(List<String> specials, String template) {
        int normal = 151643;
        int size = 151936;
        Bpe bpe = byteLevelBpe(normal, "qwen2", 0x5157454EL);
        List<String> tokens = new ArrayList<>(bpe.tokens);
        tokens.addAll(specials);
        int[] types = new int[size];
        Arrays.fill(types, NORMAL);
        for (int i = normal; i < tokens.size(); i++) {
            types[i] = tokens.get(i).startsWith("<|") ? CONTROL : USER_DEFINED;
        }
        // the embedding has room for more tokens than the tokenizer defines: llama.cpp's converter pads with these
        for (int i = tokens.size(); i < size; i++) {
            tokens.add("[PAD" + i + "]");
            types[i] = UNUSED;
        }
        Map<String, Object> m = gpt2Metadata("qwen2", tokens, types, bpe.merges);
        m.put("tokenizer.ggml.eos_token_id", 151645);
        m.put("tokenizer.ggml.padding_token_id", 151643);
        m.put("tokenizer.ggml.bos_token_id", 151643);
        m.put("tokenizer.ggml.add_bos_token", false);
        m.put("tokenizer.chat_template", template);
        return m;
    }

    private static Map<String, Object> llama32() {
        int normal = 128000;
        Bpe bpe = byteLevelBpe(normal, "llama-bpe", 0x4C4C414DL);
        List<String> tokens = new ArrayList<>(bpe.tokens);
        tokens.addAll(List.of("<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                "<|reserved_special_token_1|>", "<|finetune_right_pad_id|>", "<|reserved_special_token_2|>",
                "<|start_header_id|>", "<|end_header_id|>", "<|eom_id|>", "<|eot_id|>", "<|python_tag|>"));
        for (int i = 3; tokens.size() < 128256; i++) tokens.add("<|reserved_special_token_" + i + "|>");
        int[] types = normalTypes(tokens.size());
        Arrays.fill(types, normal, tokens.size(), CONTROL);
        Map<String, Object> m = gpt2Metadata("llama-bpe", tokens, types, bpe.merges);
        m.put("tokenizer.ggml.bos_token_id", 128000);
        m.put("tokenizer.ggml.eos_token_id", 128009);
        m.put("tokenizer.ggml.padding_token_id", 128004);
        m.put("tokenizer.ggml.add_bos_token", true);
        m.put("tokenizer.chat_template", LLAMA3_2_TEMPLATE);
        return m;
    }

    private static Map<String, Object> tiny() {
        int size = 4096;
        Bpe bpe = byteLevelBpe(size - 3, "smollm", 0x534D4F4CL);
        List<String> tokens = new ArrayList<>(List.of("<|endoftext|>", "<|im_start|>", "<|im_end|>"));
        tokens.addAll(bpe.tokens);
        int[] types = normalTypes(size);
        Arrays.fill(types, 0, 3, CONTROL);
        Map<String, Object> m = gpt2Metadata("smollm", tokens, types, bpe.merges);
        m.put("tokenizer.ggml.bos_token_id", 1);
        m.put("tokenizer.ggml.eos_token_id", 2);
        m.put("tokenizer.ggml.unknown_token_id", 0);
        m.put("tokenizer.ggml.padding_token_id", 2);
        m.put("tokenizer.ggml.add_bos_token", false);
        m.put("tokenizer.chat_template", SMOLLM2_TEMPLATE);
        return m;
    }

    private static int[] normalTypes(int size) {
        int[] types = new int[size];
        Arrays.fill(types, NORMAL);
        return types;
    }

    private static Map<String, Object> gpt2Metadata(String pre, List<String> tokens, int[] types, List<String> merges) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tokenizer.ggml.model", "gpt2");
        m.put("tokenizer.ggml.pre", pre);
        m.put("tokenizer.ggml.tokens", tokens.toArray(String[]::new));
        m.put("tokenizer.ggml.token_type", types);
        m.put("tokenizer.ggml.merges", merges.toArray(String[]::new));
        return m;
    }

    private record Bpe(List<String> tokens, List<String> merges) {
    }

    /** {@code count} byte-level tokens (the 256 byte symbols first) and the merges that make the rest. */
    private static Bpe byteLevelBpe(int count, String pre, long seed) {
        return MADE.computeIfAbsent(count + "/" + pre + "/" + seed, k -> makeByteLevelBpe(count, pre, seed));
    }

    private static Bpe makeByteLevelBpe(int count, String pre, long seed) {
        List<String> tokens = new ArrayList<>(count);
        Set<String> known = HashSet.newHashSet(count);
        for (int b : gpt2ByteOrder()) {
            String symbol = String.valueOf(ByteLevel.charOf(b));
            tokens.add(symbol);
            known.add(symbol);
        }
        List<String> merges = new ArrayList<>(count);
        for (String merge : LEARNT.computeIfAbsent(pre, SyntheticVocabulary::learnMerges)) {
            if (tokens.size() >= count) break;
            int space = merge.indexOf(' ', 1);
            String joined = merge.substring(0, space) + merge.substring(space + 1);
            merges.add(merge);
            if (known.add(joined)) tokens.add(joined);
        }
        int shortTokens = tokens.size();
        SplittableRandom random = new SplittableRandom(seed);
        while (tokens.size() < count) {
            String a = tokens.get(random.nextInt(tokens.size()));
            String b = tokens.get(random.nextInt(shortTokens));
            char first = b.charAt(0);
            // a word never continues with a space or newline symbol ("Ġ", "Ċ"): keep random tokens word-like
            if (first == ByteLevel.charOf(' ') || first == ByteLevel.charOf('\n')) continue;
            String joined = a + b;
            if (joined.length() > 16 || joined.contains("<|") || !known.add(joined)) continue;
            tokens.add(joined);
            merges.add(a + " " + b);
        }
        return new Bpe(List.copyOf(tokens), List.copyOf(merges));
    }

    /** GPT-2's order of the byte symbols: the printable bytes, then the rest. */
    private static int[] gpt2ByteOrder() {
        int[] order = new int[256];
        int k = 0;
        for (int b = 0; b < 256; b++) if (ByteLevel.charOf(b) == b) order[k++] = b;
        for (int b = 0; b < 256; b++) if (ByteLevel.charOf(b) != b) order[k++] = b;
        return order;
    }

    /** The built-in Spanish and English support corpus the merges are learnt from. */
    public static String corpus() {
        try (InputStream in = SyntheticVocabulary.class.getResourceAsStream("corpus.txt")) {
            if (in == null) throw new IllegalStateException("corpus.txt is missing from the classpath");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Byte-level BPE training on the corpus words the pre-tokenizer makes. */
    private static List<String> learnMerges(String pre) {
        PreTokenizer preTokenizer = PreTokenizer.forName(pre);
        if (preTokenizer == null) throw new IllegalArgumentException("unknown pre-tokenizer '" + pre + "'");
        int[] cps = corpus().codePoints().toArray();
        Map<String, Integer> wordCounts = new LinkedHashMap<>();
        int start = 0;
        for (int end : preTokenizer.split(cps)) {
            String word = ByteLevel.encode(new String(cps, start, end - start).getBytes(StandardCharsets.UTF_8));
            wordCounts.merge(word, 1, Integer::sum);
            start = end;
        }
        List<List<String>> words = new ArrayList<>();
        for (String word : wordCounts.keySet()) {
            List<String> symbols = new ArrayList<>();
            word.codePoints().forEach(cp -> symbols.add(Character.toString(cp)));
            words.add(symbols);
        }
        return train(words, new ArrayList<>(wordCounts.values()), " ");
    }

    /** SentencePiece-style pieces from the corpus: its characters, then BPE merge results ("▁" marks a space). */
    private static List<String> learnPieces() {
        Map<String, Integer> wordCounts = new LinkedHashMap<>();
        for (String word : corpus().split("[ \n]+")) {
            if (!word.isEmpty()) wordCounts.merge(SPACE + word, 1, Integer::sum);
        }
        List<String> pieces = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<List<String>> words = new ArrayList<>();
        for (String word : wordCounts.keySet()) {
            List<String> symbols = new ArrayList<>();
            word.codePoints().forEach(cp -> {
                String c = Character.toString(cp);
                symbols.add(c);
                if (seen.add(c)) pieces.add(c);
            });
            words.add(symbols);
        }
        for (String merge : train(words, new ArrayList<>(wordCounts.values()), "")) pieces.add(merge);
        return pieces;
    }

    /**
     * Merges the most frequent adjacent pair (ties: the pair seen first) until every word is one symbol, as a large
     * trained vocabulary holds every common word whole. Returns each merge as {@code left + separator + right}.
     */
    private static List<String> train(List<List<String>> words, List<Integer> counts, String separator) {
        List<String> merges = new ArrayList<>();
        while (true) {
            Map<String, Integer> pairCounts = new LinkedHashMap<>();
            Map<String, String[]> pairs = new HashMap<>();
            for (int w = 0; w < words.size(); w++) {
                List<String> symbols = words.get(w);
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    String key = symbols.get(i) + '\u0000' + symbols.get(i + 1);
                    pairCounts.merge(key, counts.get(w), Integer::sum);
                    pairs.putIfAbsent(key, new String[]{symbols.get(i), symbols.get(i + 1)});
                }
            }
            String best = null;
            int bestCount = 0;
            for (Map.Entry<String, Integer> e : pairCounts.entrySet()) {
                if (e.getValue() > bestCount) {
                    best = e.getKey();
                    bestCount = e.getValue();
                }
            }
            if (best == null) return merges;
            String left = pairs.get(best)[0];
            String right = pairs.get(best)[1];
            merges.add(left + separator + right);
            String joined = left + right;
            for (List<String> symbols : words) {
                for (int i = 0; i + 1 < symbols.size(); i++) {
                    if (symbols.get(i).equals(left) && symbols.get(i + 1).equals(right)) {
                        symbols.set(i, joined);
                        symbols.remove(i + 1);
                    }
                }
            }
        }
    }
}
