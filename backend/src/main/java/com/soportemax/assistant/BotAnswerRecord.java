package com.soportemax.assistant;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;

import java.util.List;
import java.util.Optional;

/**
 * What the assistant decided for one customer message and everything that went into it.
 *
 * @param botSeq     the bot message opened for the answer, empty when none was (an escalation before generating)
 * @param answerText the delivered answer, or the draft the agent gets; empty when nothing was written
 * @param generation token statistics, empty when the model was not run
 */
record BotAnswerRecord(ConversationId conversationId, long customerSeq, Optional<Long> botSeq, Mode mode,
                       Optional<EscalationReason> escalationReason, String detail, String answerText,
                       ConfidenceScore confidence, List<PassageUsed> passages, int settingsVersion,
                       Optional<String> modelName, Optional<GenerationStats> generation) {

    enum Mode { LLM, RETRIEVAL_ONLY }

    enum Outcome { DELIVERED, ESCALATED }

    BotAnswerRecord {
        passages = List.copyOf(passages);
    }

    Outcome outcome() {
        return escalationReason.isPresent() ? Outcome.ESCALATED : Outcome.DELIVERED;
    }

    record GenerationStats(int promptTokens, int completionTokens, long prefillMillis, long decodeMillis,
                           double tokensPerSecond) {
    }
}
