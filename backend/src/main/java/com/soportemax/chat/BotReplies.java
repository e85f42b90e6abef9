package com.soportemax.chat;

import java.util.List;

/**
 * How the assistant writes into a conversation. Deltas reach the customer's widget live (server-sent events);
 * the stored message is written when the answer is delivered.
 */
public interface BotReplies {

    /** Opens an (incomplete) bot message and returns its sequence number. */
    long begin(ConversationId conversation);

    /** Streams a piece of text of the open bot message to the customer. */
    void stream(ConversationId conversation, long seq, String delta);

    /** Completes the bot message with its final text, confidence and sources. */
    void deliver(ConversationId conversation, long seq, BotAnswer answer);

    /**
     * Writes a whole bot message at once, for an answer that was not streamed (retrieval-only, scripted): the same
     * as {@link #begin} then {@link #deliver}. Returns its sequence number, or 0 when a person has taken the
     * conversation over meanwhile (nothing is written).
     */
    default long reply(ConversationId conversation, BotAnswer answer) {
        long seq = begin(conversation);
        deliver(conversation, seq, answer);
        return seq;
    }

    /**
     * Hands the conversation to the agents' queue: the open bot message (if {@code seq > 0}) is withdrawn from
     * the customer's view, the customer is told an agent will take over, and {@link ConversationEscalated} is
     * published with the reason and the bot's draft.
     */
    void escalate(ConversationId conversation, long seq, EscalationReason reason, String detail, String botDraft);

    /**
     * The last {@code maxMessages} complete customer/bot/agent messages before sequence number {@code beforeSeq},
     * oldest first (SYSTEM notices left out).
     */
    List<ChatTurn> history(ConversationId conversation, long beforeSeq, int maxMessages);
}
