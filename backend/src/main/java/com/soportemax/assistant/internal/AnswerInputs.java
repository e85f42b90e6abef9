package com.soportemax.assistant.internal;

import com.soportemax.chat.ChatTurn;
import com.soportemax.chat.CustomerMessagePosted;
import com.soportemax.knowledge.Retrieval;

import java.util.List;
import java.util.Optional;

/**
 * Everything a decision about one customer message is computed from, read before anything is written.
 *
 * @param language     the customer's language: what the message reads as, else the conversation's locale
 * @param history      the conversation before this message (by sequence number), oldest first
 * @param curated      the best-matching curated answer, if any
 * @param memory       what the assistant already did in this conversation
 * @param withModel    whether a language model is available
 */
record AnswerInputs(CustomerMessagePosted message, CustomerText text, String language, SettingsVersion settings,
                    List<ChatTurn> history, Retrieval retrieval, Optional<CuratedAnswers.Match> curated,
                    Memory memory, boolean withModel) {

    AnswerInputs {
        history = List.copyOf(history);
    }

    /** @param clarified whether the assistant's last decision in this conversation was a clarifying question */
    record Memory(boolean clarified) {
        static final Memory NONE = new Memory(false);
    }
}
