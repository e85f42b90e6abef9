package com.soportemax.assistant.internal;

import com.soportemax.assistant.ScriptedLanguageModel;

import com.soportemax.chat.Author;
import com.soportemax.chat.ChatTurn;
import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.ContextOverflowException;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.knowledge.Passage;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.soportemax.assistant.internal.FixedKnowledgeBase.passage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AnswerPromptTests {

    final ScriptedLanguageModel model = new ScriptedLanguageModel();
    final List<Passage> passages = List.of(
            passage("a", "Primero", "uno ".repeat(50), 0.9),
            passage("b", "Segundo", "dos ".repeat(50), 0.6),
            passage("c", "Tercero", "tres ".repeat(50), 0.4));
    final List<ChatTurn> history = List.of(
            new ChatTurn(Author.CUSTOMER, "antigua " + "x ".repeat(30)),
            new ChatTurn(Author.BOT, "respuesta antigua " + "y ".repeat(30)),
            new ChatTurn(Author.SYSTEM, "Un agente se ha unido"),
            new ChatTurn(Author.CUSTOMER, "reciente " + "z ".repeat(30)));

    @Test
    void keepsEverythingWhenItFits() {
        var prompt = AnswerPrompt.fit(model, 4096, 256, "Sistema.", "es", "", passages, history, "¿Y ahora?");

        assertThat(prompt.passages()).hasSize(3);
        assertThat(prompt.historyTurns()).as("the agent-joined notice is not history").isEqualTo(3);
        List<ChatMessage> messages = ((Prompt.Chat) prompt.prompt()).messages();
        assertThat(messages).extracting(ChatMessage::role).containsExactly(ChatMessage.Role.SYSTEM,
                ChatMessage.Role.USER, ChatMessage.Role.ASSISTANT, ChatMessage.Role.USER, ChatMessage.Role.USER);
        assertThat(prompt.promptTokens()).isEqualTo(model.countTokens(prompt.prompt()));
    }

    @Test
    void dropsTheOldestHistoryFirstThenTheWeakestPassages() {
        int withoutHistory = AnswerPrompt.fit(model, 4096, 0, "Sistema.", "es", "", passages, List.of(), "¿Y ahora?").promptTokens();

        var noHistory = AnswerPrompt.fit(model, withoutHistory + 100, 100, "Sistema.", "es", "", passages, history, "¿Y ahora?");
        assertThat(noHistory.historyTurns()).isZero();
        assertThat(noHistory.passages()).hasSize(3);

        var fewerPassages = AnswerPrompt.fit(model, withoutHistory + 60, 100, "Sistema.", "es", "", passages, history, "¿Y ahora?");
        assertThat(fewerPassages.passages()).extracting(Passage::externalId).containsExactly("a", "b");
        assertThat(fewerPassages.promptTokens() + 100).isLessThanOrEqualTo(withoutHistory + 60);
    }

    @Test
    void refusesWhenNotEvenTheQuestionAndTheBestPassageFit() {
        assertThatThrownBy(() -> AnswerPrompt.fit(model, 60, 50, "Sistema.", "es", "", passages, history, "¿Y ahora?"))
                .isInstanceOf(ContextOverflowException.class)
                .hasMessageContaining("context window holds 60");
    }
}
