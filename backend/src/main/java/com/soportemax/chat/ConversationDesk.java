package com.soportemax.chat;

import java.util.List;
import java.util.NoSuchElementException;

/**
 * What human agents do in a conversation. Every change reaches the customer's widget live.
 *
 * <p>Unknown conversations raise {@link NoSuchElementException}; a change the conversation's state does not allow
 * (e.g. replying in a closed conversation) raises {@link IllegalStateException} with a message for the agent.
 */
public interface ConversationDesk {

    /**
     * An agent takes over a conversation waiting in the queue (state ESCALATED, or still BOT): the state becomes
     * AGENT and the customer is told, in their language, that the agent joined.
     *
     * @param agentName the name the customer sees
     */
    void assignAgent(ConversationId conversation, String agentName);

    /** Stores an agent's reply (state AGENT) and sends it to the customer. */
    PostedMessage postAgentMessage(ConversationId conversation, String agentName, String text);

    /** Ends the conversation; the customer is invited to rate it. Closing a closed conversation changes nothing. */
    void close(ConversationId conversation);

    /** The conversation's state. */
    ConversationState state(ConversationId conversation);

    /** Every message the customer can see, oldest first. */
    List<ChatMessage> transcript(ConversationId conversation);
}
