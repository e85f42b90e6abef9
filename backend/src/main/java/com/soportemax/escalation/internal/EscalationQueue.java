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
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.transaction.annotation.Transactional;

import org.springframework.beans.factory.ObjectProvider;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
    private final TranscriptReads reads;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    EscalationQueue(EscalationTicketRepository tickets, ConversationDesk desk, StaffDirectory staff, DeskLog deskLog,
                    ReplyDrafts replyDrafts, EmailAnswers emails, TranscriptReads reads,
                    ApplicationEventPublisher events, ObjectProvider<Clock> clock) {
        this.tickets = tickets;
        this.reads = reads;
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

    /** How many tickets wait for an agent to take them. */
    @Transactional(readOnly = true)
    public long unclaimed() {
        return tickets.countByStatus(TicketStatus.OPEN);
    }

    /**
     * One page of the queue as one agent filters it: open and claimed tickets, the most urgent first, then the
     * longest waiting; {@code after} is the previous page's {@link QueuePage#next()} cursor (null for the first).
     */
    @Transactional(readOnly = true)
    public QueuePage waiting(QueueFilter filter, String agentEmail, String after, int size) {
        if (size < 1 || size > QueuePage.MAX_SIZE) {
            throw new IllegalArgumentException("size must be between 1 and " + QueuePage.MAX_SIZE + ", not " + size + ".");
        }
        QueuePage.Position from = QueuePage.Position.parse(after);
        List<EscalationTicket> found = tickets.queuePage(filter.name(), agentEmail == null ? "" : agentEmail,
                from.priority(), from.createdAt(), from.ticketId(), size + 1);
        List<EscalationTicket> page = found.size() > size ? found.subList(0, size) : found;
        String next = found.size() > size ? QueuePage.Position.of(page.getLast()).cursor() : null;
        return new QueuePage(List.copyOf(page), next);
    }

    /**
     * The agent takes the ticket and joins the conversation. Of agents claiming at once, one wins; the others get
     * {@link IllegalStateException} at once: the ticket's row is locked without waiting, so the losers neither queue
     * on the winner's lock nor hold a database connection meanwhile (twenty agents at once on a small pool made the
     * last ones time out waiting for a connection, and their sign-ins fail).
     */
    @Transactional
    public EscalationTicket claim(UUID ticketId, String agentEmail) {
        EscalationTicket ticket;
        try {
            ticket = tickets.lockNowait(ticketId).orElseThrow(() -> new NoSuchElementException("No ticket " + ticketId));
        } catch (PessimisticLockingFailureException taken) {
            throw new IllegalStateException("Another agent is taking ticket " + ticketId + " at this moment.");
        }
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
        reads.requireReadable(conversation, agentEmail);
        StaffMember agent = member(agentEmail);
        return deskLog.add(conversation, DeskEntry.Kind.NOTE, agent.email(), agent.displayName(), text, now());
    }

    /**
     * One of the actions that take the conversation off the agent's hands: hand it back to the bot (which answers
     * from the customer's next message), put it back in the queue, or resolve it (the customer is asked for a
     * rating; should they write again, the bot answers). The customer is told in each case.
     */
    @Transactional
    public void act(ConversationId conversation, String agentEmail, DeskAction action) {
        switch (action) {
            case HANDBACK -> end(conversation, agentEmail, desk::handBack, DeskEntry.Kind.HANDED_BACK,
                    " ha devuelto la conversación al asistente.");
            case RELEASE -> release(conversation, agentEmail);
            case RESOLVE -> end(conversation, agentEmail, desk::resolve, DeskEntry.Kind.RESOLVED,
                    " ha resuelto la conversación.");
        }
    }

    private void end(ConversationId conversation, String agentEmail,
                     java.util.function.Consumer<ConversationId> onConversation, DeskEntry.Kind kind, String told) {
        InCharge inCharge = requireInCharge(conversation, agentEmail);
        onConversation.accept(conversation);
        Instant now = now();
        inCharge.ticket().ifPresent(ticket -> {
            ticket.resolve(now);
            changed(ticket, Change.RESOLVED);
        });
        record(conversation, kind, inCharge.agent(), inCharge.agent().displayName() + told, now);
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
    private void release(ConversationId conversation, String agentEmail) {
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

    /** Whether this staff member may read the conversation (see {@link TranscriptReads}). */
    @Transactional(readOnly = true)
    public boolean mayRead(ConversationId conversation, String staffEmail) {
        return reads.mayRead(conversation, staffEmail);
    }

    /** Whether this staff member may answer and close the conversation: the agent who claimed it, or an admin. */
    @Transactional(readOnly = true)
    public boolean mayAnswer(ConversationId conversation, String agentEmail) {
        try {
            requireInCharge(conversation, agentEmail);
            return true;
        } catch (IllegalStateException | NoSuchElementException notInCharge) {
            return false;
        }
    }

    /**
     * The messages as the customer sees them, read by a staff member who may read them (else
     * {@link NoSuchElementException}); the read is recorded.
     */
    @Transactional
    public List<ChatMessage> transcript(ConversationId conversation, String readerEmail, TranscriptReads.Via via) {
        reads.read(conversation, readerEmail, via);
        return desk.transcript(conversation);
    }

    /**
     * The customer's messages and the agents' notes and actions, in the order they happened, read by a staff member
     * who may read them (else {@link NoSuchElementException}); the read is recorded.
     */
    @Transactional
    public List<TranscriptEntry> agentTranscript(ConversationId conversation, String readerEmail,
                                                 TranscriptReads.Via via) {
        reads.read(conversation, readerEmail, via);
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

    /** The customer's latest message, for the queue's excerpt. */
    @Transactional(readOnly = true)
    public String lastCustomerMessage(ConversationId conversation) {
        return desk.transcript(conversation).reversed().stream()
                .filter(message -> message.author() == Author.CUSTOMER)
                .map(ChatMessage::text)
                .findFirst().orElse("");
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
        reads.requireReadable(conversation, agentEmail);
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
