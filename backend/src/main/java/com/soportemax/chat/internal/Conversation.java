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
import org.springframework.data.domain.AbstractAggregateRoot;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * A customer's conversation: who answers it (bot, queue, agent) and in which language. Messages are an
 * append-only log beside it ({@link MessageLog}); their sequence counter lives in the same row but is
 * deliberately not mapped, so message appends never conflict with state changes guarded by {@code @Version}.
 * Every change of hands raises {@link ConversationChange.StateChanged}, published when the repository saves it.
 */
@Entity
@Table(name = "conversations")
public class Conversation extends AbstractAggregateRoot<Conversation> {

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

    @Column(name = "resolved_by_agent", nullable = false)
    private boolean resolvedByAgent;

    @Column(name = "opened_on_page")
    private String openedOnPage;

    @Column(name = "browser_id")
    private UUID browserId;

    @Column(name = "contact_email")
    private String contactEmail;

    @Column(name = "email_offered", nullable = false)
    private boolean emailOffered;

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

    /** Where the widget was opened and which browser (the widget's own random id), for the agent's context. */
    void describeVisitor(String page, UUID browser) {
        this.openedOnPage = page == null || page.isBlank() ? null : page.strip();
        this.browserId = browser;
    }

    /** The customer left an e-mail address for an answer when nobody could answer live. */
    void leaveContactEmail(String email, Instant now) {
        requireOpen();
        this.contactEmail = Objects.requireNonNull(email, "email");
        this.updatedAt = now;
    }

    public String openedOnPage() {
        return openedOnPage;
    }

    public UUID browserId() {
        return browserId;
    }

    public String contactEmail() {
        return contactEmail;
    }

    public boolean emailOffered() {
        return emailOffered;
    }

    /** Nobody can answer live: the customer may leave an address. */
    void offerEmail() {
        emailOffered = true;
    }

    /** When anything last happened in the conversation (a message, a change of hands). */
    public Instant lastActivity() {
        return updatedAt;
    }

    public Instant createdAt() {
        return createdAt;
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
        registerEvent(new ConversationChange.StateChanged(id()));
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
                registerEvent(new ConversationChange.StateChanged(id()));
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
        registerEvent(new ConversationChange.StateChanged(id()));
        return true;
    }

    /** The agent in charge hands the conversation back to the bot, which answers the next message. */
    void handBack(Instant now) {
        requireAgentInCharge();
        state = ConversationState.BOT;
        assignedAgent = null;
        updatedAt = now;
        registerEvent(new ConversationChange.StateChanged(id()));
    }

    /** The agent leaves the conversation to the queue again; the next agent who claims it joins. */
    void release(Instant now) {
        requireAgentInCharge();
        state = ConversationState.ESCALATED;
        assignedAgent = null;
        updatedAt = now;
        registerEvent(new ConversationChange.StateChanged(id()));
    }

    /** Another agent takes over from the one in charge. */
    void transferTo(String agentName, Instant now) {
        requireAgentInCharge();
        assignedAgent = Objects.requireNonNull(agentName, "agentName");
        updatedAt = now;
    }

    /**
     * A customer writes again after an agent resolved the conversation: the bot answers again, and the old
     * hand-over stays where it was (resolved).
     *
     * @return false when the conversation is open, or was ended by the customer (it stays ended)
     */
    boolean reopen(Instant now) {
        if (state != ConversationState.CLOSED || !resolvedByAgent) {
            return false;
        }
        state = ConversationState.BOT;
        closedAt = null;
        resolvedByAgent = false;
        updatedAt = now;
        registerEvent(new ConversationChange.StateChanged(id()));
        return true;
    }

    /** An agent resolved the conversation: a later customer message reopens it with the bot. */
    boolean resolve(Instant now) {
        if (!close(now)) {
            return false;
        }
        resolvedByAgent = true;
        return true;
    }

    String assignedAgent() {
        return assignedAgent;
    }
}
