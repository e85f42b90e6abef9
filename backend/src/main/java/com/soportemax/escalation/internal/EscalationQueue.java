package com.soportemax.escalation.internal;

import com.soportemax.accounts.StaffDirectory;
import com.soportemax.accounts.StaffMember;
import com.soportemax.accounts.StaffRole;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationClosed;
import com.soportemax.chat.ConversationDesk;
import com.soportemax.chat.ConversationEscalated;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.PostedMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/** The agents' queue: tickets come in from escalated conversations, agents claim them, answer and close. */
@Service
public class EscalationQueue {

    private static final Logger log = LoggerFactory.getLogger(EscalationQueue.class);

    private final EscalationTicketRepository tickets;
    private final ConversationDesk desk;
    private final StaffDirectory staff;

    EscalationQueue(EscalationTicketRepository tickets, ConversationDesk desk, StaffDirectory staff) {
        this.tickets = tickets;
        this.desk = desk;
        this.staff = staff;
    }

    /** A redelivered event (after a crash) finds the ticket already there and adds nothing. */
    @ApplicationModuleListener
    void on(ConversationEscalated event) {
        if (tickets.findFirstByConversationIdAndStatusNot(event.conversationId().value(), TicketStatus.RESOLVED).isPresent()) {
            return;
        }
        tickets.save(new EscalationTicket(event.conversationId(), event.reason(), event.detail(), event.botDraft(),
                event.at()));
        log.info("Conversation {} is waiting for an agent ({})", event.conversationId(), event.reason());
    }

    @ApplicationModuleListener
    void on(ConversationClosed event) {
        tickets.findFirstByConversationIdAndStatusNot(event.conversationId().value(), TicketStatus.RESOLVED)
                .ifPresent(ticket -> ticket.resolve(event.at()));
    }

    /** Open and claimed tickets, oldest first. */
    @Transactional(readOnly = true)
    public List<EscalationTicket> waiting() {
        return tickets.findByStatusInOrderByCreatedAtAsc(EnumSet.of(TicketStatus.OPEN, TicketStatus.CLAIMED));
    }

    /**
     * The agent takes the ticket and joins the conversation. Of two agents claiming at once, one wins; the other
     * gets {@link IllegalStateException} or, when both read the ticket as open, an optimistic-locking failure.
     */
    @Transactional
    public EscalationTicket claim(UUID ticketId, String agentEmail) {
        EscalationTicket ticket = tickets.findById(ticketId)
                .orElseThrow(() -> new NoSuchElementException("No ticket " + ticketId));
        StaffMember agent = member(agentEmail);
        ticket.claim(agent.email(), now());
        tickets.saveAndFlush(ticket);
        desk.assignAgent(ticket.conversationId(), agent.displayName());
        return ticket;
    }

    /** The agent in charge (or an admin) answers the customer. */
    @Transactional
    public PostedMessage reply(ConversationId conversation, String agentEmail, String text) {
        StaffMember agent = requireInCharge(conversation, agentEmail);
        return desk.postAgentMessage(conversation, agent.displayName(), text);
    }

    /** Ends the conversation and resolves its ticket. */
    @Transactional
    public void close(ConversationId conversation, String agentEmail) {
        requireInCharge(conversation, agentEmail);
        desk.close(conversation);
        tickets.findFirstByConversationIdAndStatusNot(conversation.value(), TicketStatus.RESOLVED)
                .ifPresent(ticket -> ticket.resolve(now()));
    }

    /** The ticket, whatever its status; used to tell an agent who lost a claim what happened to it. */
    @Transactional(readOnly = true)
    public Optional<EscalationTicket> ticket(UUID ticketId) {
        return tickets.findById(ticketId);
    }

    /** The conversation's most recent ticket, resolved or not; empty when it was never escalated. */
    @Transactional(readOnly = true)
    public Optional<EscalationTicket> latestTicketOf(ConversationId conversation) {
        return tickets.findFirstByConversationIdOrderByCreatedAtDesc(conversation.value());
    }

    /** The conversation's state (BOT, ESCALATED, AGENT or CLOSED). */
    @Transactional(readOnly = true)
    public ConversationState state(ConversationId conversation) {
        return desk.state(conversation);
    }

    /** Whether this staff member may answer and close the conversation: the agent who claimed it, or an admin. */
    @Transactional(readOnly = true)
    public boolean mayAnswer(ConversationId conversation, String agentEmail) {
        try {
            requireInCharge(conversation, agentEmail);
            return true;
        } catch (IllegalStateException notInCharge) {
            return false;
        }
    }

    @Transactional(readOnly = true)
    public List<ChatMessage> transcript(ConversationId conversation) {
        return desk.transcript(conversation);
    }

    private StaffMember requireInCharge(ConversationId conversation, String agentEmail) {
        StaffMember agent = member(agentEmail);
        if (agent.role() == StaffRole.ADMIN) {
            return agent;
        }
        boolean inCharge = tickets.findFirstByConversationIdAndStatusNot(conversation.value(), TicketStatus.RESOLVED)
                .map(ticket -> ticket.isClaimedBy(agent.email()))
                .orElse(false);
        if (!inCharge) {
            throw new IllegalStateException("Conversation " + conversation
                    + " is not yours: claim its ticket in the queue first.");
        }
        return agent;
    }

    private StaffMember member(String email) {
        return staff.findByEmail(email)
                .orElseThrow(() -> new IllegalStateException("No enabled staff account " + email));
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
