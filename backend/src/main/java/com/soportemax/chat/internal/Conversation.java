package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A customer's conversation: who answers it (bot, queue, agent) and in which language. Messages are an
 * append-only log beside it ({@link MessageLog}); their sequence counter lives in the same row but is
 * deliberately not mapped, so message appends never conflict with state changes guarded by {@code @Version}.
 */
@Entity
@Table(name = "conversations")
public class Conversation {

    @Id
    private UUID id;

    @Column(name = "token_hash", nullable = false, updatable = false)
    private String tokenHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private ConversationState state;

    @Column(nullable = false, updatable = false)
    private String locale;

    @Column(name = "assigned_agent")
    private String assignedAgent;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Column(name = "closed_at")
    private Instant closedAt;

    @Version
    private long version;

    protected Conversation() {
    }

    private Conversation(UUID id, String tokenHash, String locale, Instant now) {
        this.id = id;
        this.tokenHash = tokenHash;
        this.locale = locale;
        this.state = ConversationState.BOT;
        this.createdAt = now;
        this.updatedAt = now;
    }

    /** A new conversation, answered by the bot. */
    static Conversation start(Language language, WidgetToken.Hash tokenHash, Instant now) {
        return new Conversation(UUID.randomUUID(), tokenHash.hex(), language.code(), now);
    }

    public ConversationId id() {
        return new ConversationId(id);
    }

    public ConversationState state() {
        return state;
    }

    public Language language() {
        return Language.of(locale);
    }

    boolean isOwnedBy(WidgetToken.Hash hash) {
        return hash.matches(tokenHash);
    }

    /** Nothing more happens in a closed conversation. */
    void requireOpen() {
        if (state == ConversationState.CLOSED) {
            throw new ConversationClosedException(id());
        }
    }

    /**
     * Hands the conversation to the agents' queue.
     *
     * @return false when a person is already in charge (or the conversation ended): nothing changed
     */
    boolean escalate(Instant now) {
        if (state != ConversationState.BOT) {
            return false;
        }
        state = ConversationState.ESCALATED;
        updatedAt = now;
        return true;
    }

    /** An agent takes over; a conversation with another agent or a closed one cannot be taken. */
    void assignAgent(String agentName, Instant now) {
        Objects.requireNonNull(agentName, "agentName");
        switch (state) {
            case BOT, ESCALATED -> {
                state = ConversationState.AGENT;
                assignedAgent = agentName;
                updatedAt = now;
            }
            case AGENT -> throw new IllegalStateException(
                    "Conversation " + id + " is already being handled by " + assignedAgent + ".");
            case CLOSED -> throw new ConversationClosedException(id());
        }
    }

    /** Only the agent in charge writes as an agent. */
    void requireAgentInCharge() {
        requireOpen();
        if (state != ConversationState.AGENT) {
            throw new IllegalStateException("Conversation " + id + " has no agent yet (state " + state
                    + "); claim its ticket before replying.");
        }
    }

    /** @return false when it was already closed */
    boolean close(Instant now) {
        if (state == ConversationState.CLOSED) {
            return false;
        }
        state = ConversationState.CLOSED;
        closedAt = now;
        updatedAt = now;
        return true;
    }
}
