package com.soportemax.escalation.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import java.time.Instant;
import java.util.UUID;

/** A conversation waiting for (or handled by) an agent, with why the bot handed it over and what it would have said. */
@Entity
@Table(name = "escalation_tickets")
public class EscalationTicket {

    @Id
    private UUID id;

    @Column(name = "conversation_id", nullable = false, updatable = false)
    private UUID conversationId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    private EscalationReason reason;

    @Column(nullable = false, updatable = false)
    private String detail;

    @Column(name = "bot_draft", nullable = false, updatable = false)
    private String botDraft;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private TicketStatus status;

    @Column(name = "claimed_by")
    private String claimedBy;

    @Column(name = "claimed_at")
    private Instant claimedAt;

    @Column(name = "resolved_at")
    private Instant resolvedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(nullable = false)
    private int priority;

    @Version
    private long version;

    protected EscalationTicket() {
    }

    EscalationTicket(ConversationId conversation, EscalationReason reason, String detail, String botDraft, Instant now) {
        this.id = UUID.randomUUID();
        this.conversationId = conversation.value();
        this.reason = reason;
        this.detail = detail == null ? "" : detail;
        this.botDraft = botDraft == null ? "" : botDraft;
        this.status = TicketStatus.OPEN;
        this.createdAt = now;
        this.priority = priorityOf(reason);
    }

    /** 1 legal threats and anger, 2 the customer asked for a person or an action on their account, 3 the bot was unsure. */
    static int priorityOf(EscalationReason reason) {
        return switch (reason) {
            case SENSITIVE_TOPIC -> 1;
            case CUSTOMER_REQUEST, ACCOUNT_ACTION -> 2;
            case LOW_CONFIDENCE, NO_KNOWLEDGE, ENGINE_FAILURE -> 3;
        };
    }

    /** A later reason may make the ticket more urgent, never less. @return whether it changed */
    boolean raisePriority(EscalationReason reason) {
        int raised = Math.min(priority, priorityOf(reason));
        if (raised == priority) {
            return false;
        }
        priority = raised;
        return true;
    }

    /** The agent in charge puts the ticket back in the queue. */
    void release(String agentEmail) {
        requireClaimedBy(agentEmail);
        status = TicketStatus.OPEN;
        claimedBy = null;
        claimedAt = null;
    }

    /** Another agent takes over the claimed ticket. */
    void transfer(String fromEmail, String toEmail, Instant now) {
        requireClaimedBy(fromEmail);
        if (toEmail.equalsIgnoreCase(claimedBy)) {
            throw new IllegalStateException("The conversation is already with " + toEmail + ".");
        }
        claimedBy = toEmail;
        claimedAt = now;
    }

    private void requireClaimedBy(String agentEmail) {
        if (status != TicketStatus.CLAIMED) {
            throw new IllegalStateException("Ticket " + id + " is " + status.name().toLowerCase(java.util.Locale.ROOT)
                    + ", not claimed.");
        }
        if (agentEmail != null && !agentEmail.equalsIgnoreCase(claimedBy)) {
            throw new IllegalStateException("Ticket " + id + " is handled by " + claimedBy + ".");
        }
    }

    /** @throws IllegalStateException when another agent has it already or it is resolved */
    void claim(String agentEmail, Instant now) {
        if (status != TicketStatus.OPEN) {
            throw new IllegalStateException(status == TicketStatus.CLAIMED
                    ? "Ticket " + id + " was already claimed by " + claimedBy + "."
                    : "Ticket " + id + " is resolved.");
        }
        status = TicketStatus.CLAIMED;
        claimedBy = agentEmail;
        claimedAt = now;
    }

    void resolve(Instant now) {
        if (status != TicketStatus.RESOLVED) {
            status = TicketStatus.RESOLVED;
            resolvedAt = now;
        }
    }

    public boolean isClaimedBy(String agentEmail) {
        return status == TicketStatus.CLAIMED && agentEmail.equalsIgnoreCase(claimedBy);
    }

    public UUID id() {
        return id;
    }

    public ConversationId conversationId() {
        return new ConversationId(conversationId);
    }

    public EscalationReason reason() {
        return reason;
    }

    public String detail() {
        return detail;
    }

    public String botDraft() {
        return botDraft;
    }

    public TicketStatus status() {
        return status;
    }

    public String claimedBy() {
        return claimedBy;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Instant claimedAt() {
        return claimedAt;
    }

    public int priority() {
        return priority;
    }
}
