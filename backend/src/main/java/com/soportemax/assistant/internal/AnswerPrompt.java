package com.soportemax.assistant.internal;

import com.soportemax.assistant.SystemMessage;
import com.soportemax.chat.Author;
import com.soportemax.chat.ChatTurn;
import com.soportemax.inference.engine.ChatMessage;
import com.soportemax.inference.engine.ContextOverflowException;
import com.soportemax.inference.engine.LanguageModel;
import com.soportemax.inference.engine.Prompt;
import com.soportemax.knowledge.Passage;

import java.util.ArrayList;
import java.util.List;

/**
 * The prompt for one answer: the system prompt with the reply language, a confidential marker (the canary) and the
 * numbered passages, the earlier conversation, then the customer's message. Built to fit the context window with
 * room for the answer: the oldest history goes first, then the weakest passages; the customer's message and the
 * best passage always stay. Each part is tokenized once (its cost in tokens, measured against an empty baseline),
 * then the parts are chosen by adding costs, instead of rendering and tokenizing the whole prompt per attempt.
 *
 * @param passages     the passages that made it into the prompt, best first
 * @param historyTurns how many earlier messages made it into the prompt
 * @param promptTokens the prompt's size as the model counts it
 */
record AnswerPrompt(Prompt prompt, List<Passage> passages, int historyTurns, int promptTokens) {

    /**
     * @param history earlier messages, oldest first, not including {@code message}
     * @param canary  a marker the customer must never see; empty for none
     * @throws ContextOverflowException when even the message and the best passage do not fit
     */
    static AnswerPrompt fit(LanguageModel model, int contextLength, int answerTokens, String systemPrompt,
                            String locale, String canary, List<Passage> passages, List<ChatTurn> history,
                            String message) {
        List<ChatTurn> turns = history.stream()
                .filter(t -> t.author() != Author.SYSTEM && t.text() != null && !t.text().isBlank()).toList();
        String head = header(systemPrompt, locale, canary);
        int base = model.countTokens(Prompt.chat(List.of(ChatMessage.system(head), ChatMessage.user(message))));
        int emptySystem = model.countTokens(Prompt.chat(List.of(ChatMessage.system(""))));
        int emptyUser = model.countTokens(Prompt.chat(List.of(ChatMessage.user(""))));
        int[] passageCost = new int[passages.size()];
        for (int i = 0; i < passages.size(); i++) {
            passageCost[i] = model.countTokens(Prompt.chat(List.of(ChatMessage.system(section(i, passages.get(i))))))
                    - emptySystem;
        }
        int[] turnCost = new int[turns.size()];
        for (int i = 0; i < turns.size(); i++) {
            turnCost[i] = model.countTokens(Prompt.chat(List.of(message(turns.get(i)), ChatMessage.user(""))))
                    - emptyUser;
        }
        int keptPassages = passages.size();
        int firstTurn = 0;
        int tokens = base + sum(passageCost, 0, keptPassages) + sum(turnCost, firstTurn, turns.size());
        while (tokens + answerTokens > contextLength) {
            if (firstTurn < turns.size()) {
                tokens -= turnCost[firstTurn++];
            } else if (keptPassages > 1) {
                tokens -= passageCost[--keptPassages];
            } else {
                throw new ContextOverflowException(tokens + answerTokens, contextLength);
            }
        }
        List<Passage> kept = passages.subList(0, keptPassages);
        List<ChatTurn> keptTurns = turns.subList(firstTurn, turns.size());
        StringBuilder system = new StringBuilder(head);
        for (int i = 0; i < kept.size(); i++) system.append(section(i, kept.get(i)));
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(ChatMessage.system(system.toString()));
        keptTurns.forEach(t -> messages.add(message(t)));
        messages.add(ChatMessage.user(message));
        return new AnswerPrompt(Prompt.chat(messages), List.copyOf(kept), keptTurns.size(), tokens);
    }

    private static String header(String systemPrompt, String locale, String canary) {
        return SystemMessage.header(systemPrompt, locale, canary);
    }

    private static String section(int index, Passage p) {
        return SystemMessage.section(index, p);
    }

    private static ChatMessage message(ChatTurn turn) {
        return turn.author() == Author.CUSTOMER ? ChatMessage.user(turn.text()) : ChatMessage.assistant(turn.text());
    }

    private static int sum(int[] costs, int from, int to) {
        int s = 0;
        for (int i = from; i < to; i++) s += costs[i];
        return s;
    }
}
