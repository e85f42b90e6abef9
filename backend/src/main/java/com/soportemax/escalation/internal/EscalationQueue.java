package com.soportemax.escalation.internal;

import com.soportemax.accounts.StaffDirectory;
import com.soportemax.accounts.StaffMember;
import com.soportemax.accounts.StaffRole;
import com.soportemax.chat.Author;
import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationClosed;
import com.soportemax.chat.ConversationDesk;
import com.soportemax.chat.ConversationEscalated;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.CustomerContext;
import com.soportemax.chat.PostedMessage;
import com.soportemax.escalation.internal.DeskChange.Change;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import org.springframework.beans.factory.ObjectProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * The agents' queue: tickets come in from escalated conversations, agents claim them, answer, note, transfer,
 * release, hand back to the bot or resolve. Each action is recorded on the agents' side of the transcript and
 * announced live to every agent's console.
 */
@Service
public class EscalationQueue {

    private static final Logger log = LoggerFactory.getLogger(EscalationQueue.class);

    private final EscalationTicketRepository tickets;
    private final ConversationDesk desk;
    private final StaffDirectory staff;
    private final DeskLog deskLog;
    private final ReplyDrafts replyDrafts;
    private final EmailAnswers emails;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    EscalationQueue(EscalationTicketRepository tickets, ConversationDesk desk, StaffDirectory staff, DeskLog deskLog,
                    ReplyDrafts replyDrafts, EmailAnswers emails, ApplicationEventPublisher events, ObjectProvider<Clock> clock) {
        this.tickets = tickets;
        this.desk = desk;
        this.staff = staff;
        this.deskLog = deskLog;
        this.replyDrafts = replyDrafts;
        this.emails = emails;
        this.events = events;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** A redelivered event (after a crash) finds the ticket already there and adds nothing but urgency. */
    @ApplicationModuleListener
    void on(ConversationEscalated event) {
        Optional<EscalationTicket> active = active(event.conversationId());
        if (active.isPresent()) {
            if (active.get().raisePriority(event.reason())) {
                tickets.save(active.get());
                changed(active.get(), Change.PRIORITY);
            }
            return;
        }
        EscalationTicket ticket = tickets.save(new EscalationTicket(event.conversationId(), event.reason(),
                event.detail(), event.botDraft(), event.at()));
        changed(ticket, Change.NEW);
        log.info("Conversation {} is waiting for an agent ({})", event.conversationId(), event.reason());
    }

    @ApplicationModuleListener
    void on(ConversationClosed event) {
        active(event.conversationId()).ifPresent(ticket -> {
            ticket.resolve(event.at());
            tickets.save(ticket);
            changed(ticket, Change.RESOLVED);
        });
    }

    /** Open and claimed tickets: the most urgent first, then the longest waiting. */
    @Transactional(readOnly = true)
    public List<EscalationTicket> waiting() {
        return tickets.findByStatusInOrderByPriorityAscCreatedAtAsc(EnumSet.of(TicketStatus.OPEN, TicketStatus.CLAIMED));
    }

    /** The queue as one agent filters it. */
    @Transactional(readOnly = true)
    public List<EscalationTicket> waiting(QueueFilter filter, String agentEmail) {
        return waiting().stream().filter(ticket -> switch (filter) {
            case ALL -> true;
            case UNASSIGNED -> ticket.status() == TicketStatus.OPEN;
            case MINE -> ticket.isClaimedBy(agentEmail);
        }).toList();
    }

    /**
     * The agent takes the ticket and joins the conversation. Of agents claiming at once, one wins; the others get
     * {@link IllegalStateException} or, when they read the ticket as open, an optimistic-locking failure.
     */
    @Transactional
    public EscalationTicket claim(UUID ticketId, String agentEmail) {
        EscalationTicket ticket = tickets.findById(ticketId)
                .orElseThrow(() -> new NoSuchElementException("No ticket " + ticketId));
        StaffMember agent = member(agentEmail);
        Instant now = now();
        ticket.claim(agent.email(), now);
        tickets.saveAndFlush(ticket);
        desk.assignAgent(ticket.conversationId(), agent.displayName());
        deskLog.add(ticket.conversationId(), DeskEntry.Kind.CLAIMED, agent.email(), agent.displayName(),
                agent.displayName() + " ha tomado la conversación.", now);
        changed(ticket, Change.CLAIMED);
        return ticket;
    }

    /**
     * The agent in charge (or an admin) answers the customer. The first reply of a ticket with a bot draft is
     * stored beside that draft; with an e-mail address left by the customer, the answer also goes out by e-mail.
     */
    @Transactional
    public PostedMessage reply(ConversationId conversation, String agentEmail, String text) {
        InCharge inCharge = requireInCharge(conversation, agentEmail);
        PostedMessage posted = desk.postAgentMessage(conversation, inCharge.agent().displayName(), text);
        Instant now = now();
        inCharge.ticket().filter(ticket -> !ticket.botDraft().isBlank() && !replyDrafts.hasPairFor(ticket.id()))
                .ifPresent(ticket -> replyDrafts.store(posted.messageId(), conversation, ticket.id(), ticket.botDraft(),
                        text, inCharge.agent().email(), now));
        CustomerContext customer = desk.context(conversation);
        if (customer.contactEmail() != null) {
            emails.queueAnswer(conversation, customer, inCharge.agent().displayName(), text, now)
                    .ifPresent(address -> deskLog.add(conversation, DeskEntry.Kind.EMAILED, inCharge.agent().email(),
                            inCharge.agent().displayName(), "Respuesta enviada también por correo a " + address + ".",
                            now));
        }
        return posted;
    }

    /** An internal note, for agents only: it never reaches the customer. Any agent may write one. */
    @Transactional
    public DeskEntry note(ConversationId conversation, String agentEmail, String text) {
        desk.state(conversation);
        StaffMember agent = member(agentEmail);
        return deskLog.add(conversation, DeskEntry.Kind.NOTE, agent.email(), agent.displayName(), text, now());
    }

    /** The bot answers again from the customer's next message; the customer is told. */
    @Transactional
    public void handBack(ConversationId conversation, String agentEmail) {
        InCharge inCharge = requireInCharge(conversation, agentEmail);
        desk.handBack(conversation);
        Instant now = now();
        inCharge.ticket().ifPresent(ticket -> {
            ticket.resolve(now);
            changed(ticket, Change.RESOLVED);
        });
        record(conversation, DeskEntry.Kind.HANDED_BACK, inCharge.agent(),
                inCharge.agent().displayName() + " ha devuelto la conversación al asistente.", now);
    }

    /** Another agent takes over; the customer is told who answers now. */
    @Transactional
    public void transfer(ConversationId conversation, String agentEmail, String toEmail) {
        InCharge inCharge = requireInCharge(conversation, agentEmail);
        StaffMember target = staff.findByEmail(toEmail)
                .orElseThrow(() -> new IllegalArgumentException("No enabled staff account " + toEmail
                        + ": choose an agent of the team."));
        EscalationTicket ticket = inCharge.ticket()
                .orElseThrow(() -> new IllegalStateException("Conversation " + conversation + " has no open ticket."));
        Instant now = now();
        ticket.transfer(inCharge.isAdmin() ? null : inCharge.agent().email(), target.email(), now);
        tickets.saveAndFlush(ticket);
        desk.transfer(conversation, target.displayName());
        record(conversation, DeskEntry.Kind.TRANSFERRED, inCharge.agent(),
                inCharge.agent().displayName() + " ha transferido la conversación a " + target.displayName() + ".", now);
        changed(ticket, Change.TRANSFERRED);
    }

    /** Back to the queue for another agent to claim; the customer is told someone will continue. */
    @Transactional
    public void release(ConversationId conversation, String agentEmail) {
        InCharge inCharge = requireInCharge(conversation, agentEmail);
        EscalationTicket ticket = inCharge.ticket()
                .orElseThrow(() -> new IllegalStateException("Conversation " + conversation + " has no open ticket."));
        ticket.release(inCharge.isAdmin() ? null : inCharge.agent().email());
        tickets.saveAndFlush(ticket);
        desk.release(conversation);
        Instant now = now();
        record(conversation, DeskEntry.Kind.RELEASED, inCharge.agent(),
                inCharge.agent().displayName() + " ha devuelto la conversación a la cola.", now);
        changed(ticket, Change.RELEASED);
    }

    /**
     * Ends the conversation and resolves its ticket; the customer is asked for a rating. Should the customer write
     * again, the bot answers.
     */
    @Transactional
    public void resolve(ConversationId conversation, String agentEmail) {
        InCharge inCharge = requireInCharge(conversation, agentEmail);
        desk.resolve(conversation);
        Instant now = now();
        inCharge.ticket().ifPresent(ticket -> {
            ticket.resolve(now);
            changed(ticket, Change.RESOLVED);
        });
        record(conversation, DeskEntry.Kind.RESOLVED, inCharge.agent(),
                inCharge.agent().displayName() + " ha resuelto la conversación.", now);
    }

    /** Same as {@link #resolve}. */
    @Transactional
    public void close(ConversationId conversation, String agentEmail) {
        resolve(conversation, agentEmail);
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

    /** The customer's messages and the agents' notes and actions, in the order they happened. */
    @Transactional(readOnly = true)
    public List<TranscriptEntry> agentTranscript(ConversationId conversation) {
        List<TranscriptEntry> merged = new java.util.ArrayList<>();
        desk.transcript(conversation).forEach(message -> merged.add(new TranscriptEntry.Message(message)));
        deskLog.of(conversation).forEach(entry -> merged.add(new TranscriptEntry.Desk(entry)));
        merged.sort(java.util.Comparator.comparing(TranscriptEntry::at));
        return merged;
    }

    @Transactional(readOnly = true)
    public CustomerContext customer(ConversationId conversation) {
        return desk.context(conversation);
    }

    /** Whether an agent has answered in this conversation since its latest ticket was opened. */
    @Transactional(readOnly = true)
    public boolean agentAnswered(ConversationId conversation, Instant since) {
        return desk.transcript(conversation).stream()
                .anyMatch(message -> message.author() == Author.AGENT && !message.createdAt().isBefore(since));
    }

    private void record(ConversationId conversation, DeskEntry.Kind kind, StaffMember agent, String text, Instant now) {
        deskLog.add(conversation, kind, agent.email(), agent.displayName(), text, now);
    }

    private void changed(EscalationTicket ticket, Change change) {
        events.publishEvent(new DeskChange.TicketChanged(ticket.conversationId(), ticket.id(), change));
    }

    private Optional<EscalationTicket> active(ConversationId conversation) {
        return tickets.findFirstByConversationIdAndStatusNot(conversation.value(), TicketStatus.RESOLVED);
    }

    private InCharge requireInCharge(ConversationId conversation, String agentEmail) {
        StaffMember agent = member(agentEmail);
        Optional<EscalationTicket> ticket = active(conversation);
        if (agent.role() == StaffRole.ADMIN) {
            return new InCharge(agent, ticket);
        }
        if (ticket.map(t -> !t.isClaimedBy(agent.email())).orElse(true)) {
            throw new IllegalStateException("Conversation " + conversation
                    + " is not yours: claim its ticket in the queue first.");
        }
        return new InCharge(agent, ticket);
    }

    private StaffMember member(String email) {
        return staff.findByEmail(email)
                .orElseThrow(() -> new IllegalStateException("No enabled staff account " + email));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private record InCharge(StaffMember agent, Optional<EscalationTicket> ticket) {
        boolean isAdmin() {
            return agent.role() == StaffRole.ADMIN;
        }
    }
}
