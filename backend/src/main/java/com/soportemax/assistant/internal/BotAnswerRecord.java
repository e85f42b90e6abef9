package com.soportemax.assistant.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;

import java.util.List;
import java.util.Optional;

/**
 * What the assistant decided for one customer message and everything that went into it.
 *
 * @param botSeq     the bot message written for it, empty when none was (an escalation before generating)
 * @param answerText the reply, or the draft the agent gets; empty when nothing was written
 * @param generation token statistics, empty when the model was not run
 */
record BotAnswerRecord(ConversationId conversationId, long customerSeq, Optional<Long> botSeq, Mode mode,
                       Outcome outcome, Optional<EscalationReason> escalationReason, String detail, String answerText,
                       ConfidenceScore confidence, List<PassageUsed> passages, int settingsVersion,
                       Optional<String> modelName, Optional<GenerationStats> generation) {

    /** Who wrote the reply: the model, the best passage, an admin's curated answer, or the assistant's script. */
    enum Mode { LLM, RETRIEVAL_ONLY, CURATED, SCRIPTED }

    enum Outcome { DELIVERED, ESCALATED, CLARIFIED, SMALL_TALK, SUPERSEDED }

    BotAnswerRecord {
        passages = List.copyOf(passages);
    }

    record GenerationStats(int promptTokens, int completionTokens, long prefillMillis, long decodeMillis,
                           double tokensPerSecond) {
    }
}
