package com.soportemax.inference.chat;

import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.tokenizer.ReferenceVocabularies;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.Pair;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our rendering of each real template equals llama.cpp's Jinja rendering of the template text itself, and our
 * token ids equal llama.cpp's tokenization of the rendered prompt.
 */
class ChatTemplateParityTests {

    /** ASCII only: the binding returns rendered text through JNI's modified UTF-8, which mangles other text. */
    private static final List<ChatMessage> ASCII_CONVERSATION = List.of(
            ChatMessage.system("You are the SoporteMax assistant. Answer briefly."),
            ChatMessage.user("Hi, where is my order 48213?"),
            ChatMessage.assistant("  It arrives tomorrow between 9:00 and 14:00. "),
            ChatMessage.user("Thanks! And the invoice?"));

    private static final List<ChatMessage> CONVERSATION = List.of(
            ChatMessage.system("Eres el asistente de SoporteMax. Responde en español."),
            ChatMessage.user("Hola, ¿dónde está mi pedido nº 48213? 😀"),
            ChatMessage.assistant("Tu pedido llega mañana entre las 9:00 y las 14:00."),
            ChatMessage.user("¡Gracias! ¿Y la factura?"));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"qwen2.5-0.5b", "llama-3.2-1b", "tiny"})
    void rendersAndEncodesLikeLlamaCpp(String shape) {
        ReferenceVocabularies.Loaded loaded = ReferenceVocabularies.get(shape);
        // llama.cpp gives the Llama 3.2 template a clock (strftime_now), so compare on today's date
        ChatTemplate template = ChatTemplate.fromMetadata(loaded.metadata(), loaded.tokenizer())
                .withToday(LocalDate.now());
        InferenceParameters request = new InferenceParameters("").setMessages(ASCII_CONVERSATION.getFirst().content(),
                ASCII_CONVERSATION.stream().skip(1)
                        .map(m -> new Pair<>(m.role().name().toLowerCase(), m.content())).toList());
        String ours = template.render(ASCII_CONVERSATION, true);
        String theirs = loaded.llamaCpp().applyTemplate(request);
        // llama.cpp cuts the BOS text the template starts with (its tokenizer adds BOS on its own); put it back
        String bosText = loaded.tokenizer().tokenText(loaded.tokenizer().bosToken());
        if (ours.startsWith(bosText) && !theirs.startsWith(bosText)) theirs = bosText + theirs;
        assertThat(ours).isEqualTo(theirs);

        String rendered = template.render(CONVERSATION, true);
        int[] expected = loaded.llamaCpp().encode(rendered);
        assertThat(template.encode(CONVERSATION, true)).containsExactly(expected);
    }
}
