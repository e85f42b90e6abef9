package com.soportemax.chat;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * What human agents do in a conversation. Every change reaches the customer's widget live, on any node.
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

    /** The agent in charge gives the conversation back to the bot (state BOT); the customer is told. */
    void handBack(ConversationId conversation);

    /** The agent in charge puts the conversation back in the queue (state ESCALATED); the customer is told. */
    void release(ConversationId conversation);

    /** Another agent takes over from the one in charge; the customer is told who answers now. */
    void transfer(ConversationId conversation, String agentName);

    /** Ends the conversation; the customer is invited to rate it. Closing a closed conversation changes nothing. */
    void close(ConversationId conversation);

    /**
     * An agent resolved the conversation: it ends, the customer is invited to rate it, and should the customer write
     * again it comes back to the bot (the old hand-over is not replayed).
     */
    void resolve(ConversationId conversation);

    /** The conversation's state. */
    ConversationState state(ConversationId conversation);

    /** Every message the customer can see, oldest first. */
    List<ChatMessage> transcript(ConversationId conversation);

    /** One visible message. */
    Optional<ChatMessage> message(ConversationId conversation, long seq);

    /** What the agent knows of the customer: language, page, e-mail left, earlier conversations of the browser. */
    CustomerContext context(ConversationId conversation);
}
