package com.soportemax.assistant;

import com.soportemax.chat.ChatTurn;
import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.ContextOverflowException;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.knowledge.Passage;

import java.util.ArrayList;
import java.util.List;

/**
 * The prompt for one answer: the system prompt with the reply language and the numbered passages, the earlier
 * conversation, then the customer's message. Built to fit the context window with room for the answer: the oldest
 * history goes first, then the weakest passages; the customer's message and the best passage always stay.
 *
 * @param passages       the passages that made it into the prompt, best first
 * @param historyTurns   how many earlier messages made it into the prompt
 * @param promptTokens   the prompt's size as the model counts it
 */
record AnswerPrompt(Prompt prompt, List<Passage> passages, int historyTurns, int promptTokens) {

    /**
     * @param history earlier messages, oldest first, not including {@code message}
     * @throws ContextOverflowException when even the message and the best passage do not fit
     */
    static AnswerPrompt fit(LanguageModel model, int contextLength, int answerTokens, String systemPrompt,
                            String locale, List<Passage> passages, List<ChatTurn> history, String message) {
        List<Passage> kept = new ArrayList<>(passages);
        List<ChatTurn> turns = new ArrayList<>(history);
        while (true) {
            Prompt prompt = Prompt.chat(messages(systemPrompt, locale, kept, turns, message));
            int tokens = model.countTokens(prompt);
            if (tokens + answerTokens <= contextLength) return new AnswerPrompt(prompt, kept, turns.size(), tokens);
            if (!turns.isEmpty()) {
                turns.removeFirst();
            } else if (kept.size() > 1) {
                kept.removeLast();
            } else {
                throw new ContextOverflowException(tokens + answerTokens, contextLength);
            }
        }
    }

    private static List<ChatMessage> messages(String systemPrompt, String locale, List<Passage> passages,
                                              List<ChatTurn> history, String message) {
        boolean english = "en".equals(locale);
        StringBuilder system = new StringBuilder(systemPrompt.strip()).append("\n\n")
                .append(english ? "Reply in English." : "Responde en español.")
                .append("\n\n")
                .append(english ? "Knowledge-base passages:" : "Pasajes de la base de conocimiento:");
        for (int i = 0; i < passages.size(); i++) {
            Passage p = passages.get(i);
            system.append("\n\n[").append(i + 1).append("] ").append(p.title()).append('\n').append(p.text().strip());
        }
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(system.toString()));
        for (ChatTurn turn : history) {
            switch (turn.author()) {
                case CUSTOMER -> messages.add(ChatMessage.user(turn.text()));
                case BOT, AGENT -> messages.add(ChatMessage.assistant(turn.text()));
                case SYSTEM -> { }
            }
        }
        messages.add(ChatMessage.user(message));
        return messages;
    }
}
