package com.soportemax.escalation.internal;

import com.soportemax.accounts.StaffAccessChanged;
import com.soportemax.chat.ConversationDesk;
import com.soportemax.escalation.internal.DeskChange.Change;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * An agent whose account was disabled or deleted leaves no customer waiting on them: the conversations they held go
 * back to the queue for someone else to take (the customer is told someone will continue). Every node hears of the
 * change; the ticket's row lock, taken without waiting, lets exactly one of them move each ticket.
 */
@Component
class DepartedAgents {

    private static final Logger log = LoggerFactory.getLogger(DepartedAgents.class);

    private final EscalationTicketRepository tickets;
    private final ConversationDesk desk;
    private final DeskLog deskLog;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate transaction;
    private final Clock clock;

    DepartedAgents(EscalationTicketRepository tickets, ConversationDesk desk, DeskLog deskLog,
                   ApplicationEventPublisher events, PlatformTransactionManager transactions,
                   ObjectProvider<Clock> clock) {
        this.tickets = tickets;
        this.desk = desk;
        this.deskLog = deskLog;
        this.events = events;
        this.transaction = new TransactionTemplate(transactions);
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @EventListener
    void on(StaffAccessChanged change) {
        if (change.enabled()) {
            return;
        }
        for (UUID ticketId : tickets.claimedBy(change.email())) {
            try {
                transaction.executeWithoutResult(status -> backToTheQueue(ticketId, change));
            } catch (PessimisticLockingFailureException anotherNode) {
                // Another node (or an agent) is changing this ticket right now.
            } catch (RuntimeException e) {
                log.warn("Could not put ticket {} of {} back in the queue", ticketId, change.email(), e);
            }
        }
    }

    private void backToTheQueue(UUID ticketId, StaffAccessChanged change) {
        EscalationTicket ticket = tickets.lockNowait(ticketId).orElse(null);
        if (ticket == null || !ticket.isClaimedBy(change.email())) {
            return;
        }
        ticket.release(null);
        tickets.saveAndFlush(ticket);
        desk.release(ticket.conversationId());
        deskLog.add(ticket.conversationId(), DeskEntry.Kind.RELEASED, change.email(), change.email(),
                "La cuenta de " + change.email() + (change.deleted() ? " se ha eliminado" : " se ha desactivado")
                        + ": la conversación vuelve a la cola.",
                clock.instant().truncatedTo(ChronoUnit.MICROS));
        events.publishEvent(new DeskChange.TicketChanged(ticket.conversationId(), ticket.id(), Change.RELEASED));
        log.info("Ticket {} went back to the queue: {} may no longer sign in", ticketId, change.email());
    }
}
