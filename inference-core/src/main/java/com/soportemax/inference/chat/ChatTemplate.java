package com.soportemax.inference.chat;

import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.tokenizer.Fragment;
import com.soportemax.inference.tokenizer.Tokenizer;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds prompts the way a model's {@code tokenizer.chat_template} does, without a Jinja engine: the template's
 * family is recognised from its text and reproduced exactly for conversations of system, user and assistant
 * messages (no tools).
 *
 * <ul>
 * <li><b>qwen2.5</b>: ChatML with Qwen's default system prompt when the conversation has none.</li>
 * <li><b>qwen3</b>: ChatML without a default system prompt, with thinking switched off
 * ({@code enable_thinking=false}): the assistant turn opens with an empty {@code <think>\n\n</think>\n\n}
 * block, so the model answers at once instead of reasoning first; earlier assistant turns lose any
 * {@code <think>} part, as the template strips it.</li>
 * <li><b>smollm2</b>: ChatML with SmolLM2's default system prompt.</li>
 * <li><b>chatml</b>: ChatML without a default system prompt; also the fallback for templates not recognised (with a
 * logged warning).</li>
 * <li><b>llama3</b>: Llama 3.x headers; contents are trimmed as the template trims them. Templates of Llama 3.1+ add
 * "Cutting Knowledge Date: December 2023" and "Today Date: ..." to the system turn. The date is fixed at
 * "26 Jul 2024", the value the template uses when the renderer gives it no clock, so a prompt does not change from
 * one day to the next; {@link #withToday(LocalDate)} sets another.</li>
 * </ul>
 *
 * <p>{@link #encode} turns the template's own markers into special token ids and message contents into plain-text
 * tokens, so a customer who types {@code <|im_start|>} cannot open a turn.
 */
public final class ChatTemplate {

    private static final System.Logger LOG = System.getLogger(ChatTemplate.class.getName());
    private static final String FIXED_DATE = "26 Jul 2024";
    private static final Pattern CHATML_DEFAULT_SYSTEM =
            Pattern.compile("<\\|im_start\\|>system(?:\\\\n|\\n)([^'\"+{}<]+)<\\|im_end\\|>");

    private enum Style { CHATML, QWEN3, LLAMA3 }

    private final String family;
    private final Style style;
    private final String defaultSystemPrompt;
    private final boolean llamaDateHeader;
    private final String date;
    private final Tokenizer tokenizer;

    private ChatTemplate(String family, Style style, String defaultSystemPrompt, boolean llamaDateHeader, String date,
                         Tokenizer tokenizer) {
        this.family = family;
        this.style = style;
        this.defaultSystemPrompt = defaultSystemPrompt;
        this.llamaDateHeader = llamaDateHeader;
        this.date = date;
        this.tokenizer = tokenizer;
    }

    /** Recognises {@code tokenizer.chat_template}; a missing or unknown template falls back to ChatML with a warning. */
    public static ChatTemplate fromMetadata(Map<String, Object> metadata, Tokenizer tokenizer) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        Object value = metadata.get("tokenizer.chat_template");
        String template = value instanceof String s ? s : null;
        return recognise(template, tokenizer);
    }

    static ChatTemplate recognise(String template, Tokenizer tokenizer) {
        if (template != null && template.contains("<|start_header_id|>") && template.contains("<|eot_id|>")) {
            return new ChatTemplate("llama3", Style.LLAMA3, null, template.contains("Cutting Knowledge Date"),
                    FIXED_DATE, tokenizer);
        }
        if (template != null && template.contains("<|im_start|>") && template.contains("enable_thinking")) {
            return new ChatTemplate("qwen3", Style.QWEN3, null, false, FIXED_DATE, tokenizer);
        }
        if (template != null && template.contains("<|im_start|>") && template.contains("<|im_end|>")) {
            Matcher m = CHATML_DEFAULT_SYSTEM.matcher(template);
            String defaultSystem = m.find() ? m.group(1) : null;
            String family = defaultSystem == null ? "chatml"
                    : defaultSystem.contains("Qwen") ? "qwen2.5"
                    : defaultSystem.contains("SmolLM") ? "smollm2" : "chatml";
            return new ChatTemplate(family, Style.CHATML, defaultSystem, false, FIXED_DATE, tokenizer);
        }
        LOG.log(System.Logger.Level.WARNING, template == null
                ? "the model has no tokenizer.chat_template; using ChatML"
                : "tokenizer.chat_template is not a template family this engine knows; using ChatML");
        return new ChatTemplate("chatml", Style.CHATML, null, false, FIXED_DATE, tokenizer);
    }

    /** The recognised family: "qwen2.5", "qwen3", "smollm2", "llama3" or "chatml". */
    public String family() {
        return family;
    }

    /** The same template with Llama 3's "Today Date" set to {@code today} instead of the fixed date. */
    public ChatTemplate withToday(LocalDate today) {
        String formatted = today.format(DateTimeFormatter.ofPattern("dd MMM yyyy", Locale.ENGLISH));
        return new ChatTemplate(family, style, defaultSystemPrompt, llamaDateHeader, formatted, tokenizer);
    }

    /** The prompt text the model's Jinja template would produce. */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder text = new StringBuilder();
        for (Part part : parts(messages, addGenerationPrompt)) text.append(part.text);
        return text.toString();
    }

    /**
     * The prompt's token ids: template markers as special tokens, everything else as plain text (adjacent text is
     * tokenized together, as llama.cpp tokenizes a rendered prompt). Starts with BOS when the model wants one.
     */
    public int[] encode(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Fragment> fragments = new ArrayList<>();
        StringBuilder pendingText = new StringBuilder();
        for (Part part : parts(messages, addGenerationPrompt)) {
            OptionalInt special = part.special ? tokenizer.specialToken(part.text) : OptionalInt.empty();
            if (special.isPresent()) {
                if (!pendingText.isEmpty()) fragments.add(Fragment.text(pendingText.toString()));
                pendingText.setLength(0);
                fragments.add(Fragment.special(special.getAsInt()));
            } else {
                // a marker the vocabulary lacks can only be spelled out
                pendingText.append(part.text);
            }
        }
        if (!pendingText.isEmpty()) fragments.add(Fragment.text(pendingText.toString()));
        int bos = tokenizer.bosToken();
        boolean startsWithBos = !fragments.isEmpty() && fragments.getFirst() instanceof Fragment.Special(int id)
                && id == bos;
        if (tokenizer.addBos() && bos >= 0 && !startsWithBos) fragments.addFirst(Fragment.special(bos));
        return tokenizer.encode(fragments);
    }

    private record Part(String text, boolean special) {
        static Part marker(String text) {
            return new Part(text, true);
        }

        static Part text(String text) {
            return new Part(text, false);
        }
    }

    private List<Part> parts(List<ChatMessage> messages, boolean addGenerationPrompt) {
        return switch (style) {
            case CHATML -> chatMl(messages, addGenerationPrompt);
            case QWEN3 -> qwen3(messages, addGenerationPrompt);
            case LLAMA3 -> llama3(messages, addGenerationPrompt);
        };
    }

    private static String role(ChatMessage message) {
        return message.role().name().toLowerCase(Locale.ROOT);
    }

    private List<Part> chatMl(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Part> parts = new ArrayList<>();
        boolean startsWithSystem = !messages.isEmpty() && messages.getFirst().role() == ChatMessage.Role.SYSTEM;
        if (defaultSystemPrompt != null && !startsWithSystem) {
            chatMlTurn(parts, "system", defaultSystemPrompt);
        }
        for (ChatMessage message : messages) chatMlTurn(parts, role(message), message.content());
        if (addGenerationPrompt) {
            parts.add(Part.marker("<|im_start|>"));
            parts.add(Part.text("assistant\n"));
        }
        return parts;
    }

    /**
     * Qwen3's template for plain conversations with {@code enable_thinking=false}. Assistant turns keep only what
     * follows their {@code </think>}; a final assistant turn after the last user message (a turn being continued)
     * is rendered with the empty thinking block the model was prompted with.
     */
    private List<Part> qwen3(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Part> parts = new ArrayList<>();
        // the template's last_query_index: the last user message, or the last message when there is none
        int lastUser = messages.size() - 1;
        for (int i = 0; i < messages.size(); i++) if (messages.get(i).role() == ChatMessage.Role.USER) lastUser = i;
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage message = messages.get(i);
            if (message.role() != ChatMessage.Role.ASSISTANT) {
                chatMlTurn(parts, role(message), message.content());
                continue;
            }
            String content = message.content();
            int end = content.lastIndexOf("</think>");
            if (end >= 0) content = stripLeadingNewlines(content.substring(end + "</think>".length()));
            parts.add(Part.marker("<|im_start|>"));
            parts.add(Part.text("assistant\n"));
            boolean continued = i > lastUser && i == messages.size() - 1;
            if (continued) emptyThinking(parts);
            parts.add(Part.text(content));
            parts.add(Part.marker("<|im_end|>"));
            parts.add(Part.text("\n"));
        }
        if (addGenerationPrompt) {
            parts.add(Part.marker("<|im_start|>"));
            parts.add(Part.text("assistant\n"));
            emptyThinking(parts);
        }
        return parts;
    }

    private static void emptyThinking(List<Part> parts) {
        parts.add(Part.marker("<think>"));
        parts.add(Part.text("\n\n"));
        parts.add(Part.marker("</think>"));
        parts.add(Part.text("\n\n"));
    }

    private static String stripLeadingNewlines(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '\n') i++;
        return s.substring(i);
    }

    private static void chatMlTurn(List<Part> parts, String role, String content) {
        parts.add(Part.marker("<|im_start|>"));
        parts.add(Part.text(role + "\n" + content));
        parts.add(Part.marker("<|im_end|>"));
        parts.add(Part.text("\n"));
    }

    private List<Part> llama3(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Part> parts = new ArrayList<>();
        int bos = tokenizer.bosToken();
        if (bos >= 0) parts.add(Part.marker(tokenizer.tokenText(bos)));
        List<ChatMessage> rest = messages;
        String system = null;
        if (!messages.isEmpty() && messages.getFirst().role() == ChatMessage.Role.SYSTEM) {
            system = jinjaTrim(messages.getFirst().content());
            rest = messages.subList(1, messages.size());
        }
        if (llamaDateHeader) {
            // Llama 3.1+: the system turn is always there, with the knowledge cutoff and today's date
            llamaHeader(parts, "system");
            parts.add(Part.text("Cutting Knowledge Date: December 2023\nToday Date: " + date + "\n\n"
                    + (system == null ? "" : system)));
            parts.add(Part.marker("<|eot_id|>"));
        } else if (system != null) {
            llamaHeader(parts, "system");
            parts.add(Part.text(system));
            parts.add(Part.marker("<|eot_id|>"));
        }
        for (ChatMessage message : rest) {
            llamaHeader(parts, role(message));
            parts.add(Part.text(jinjaTrim(message.content())));
            parts.add(Part.marker("<|eot_id|>"));
        }
        if (addGenerationPrompt) llamaHeader(parts, "assistant");
        return parts;
    }

    private static void llamaHeader(List<Part> parts, String role) {
        parts.add(Part.marker("<|start_header_id|>"));
        parts.add(Part.text(role));
        parts.add(Part.marker("<|end_header_id|>"));
        parts.add(Part.text("\n\n"));
    }

    /** Jinja's {@code trim} filter: Python's {@code str.strip()}, which removes Unicode whitespace. */
    static String jinjaTrim(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isPythonSpace(s.charAt(start))) start++;
        while (end > start && isPythonSpace(s.charAt(end - 1))) end--;
        return s.substring(start, end);
    }

    private static boolean isPythonSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085' || (c >= 0x1C && c <= 0x1F);
    }
}
