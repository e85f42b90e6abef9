package com.soportemax.escalation.internal;

import com.soportemax.TestDatabase;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class TicketClaimTests {

    @Autowired
    EscalationTicketRepository tickets;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    JdbcTemplate jdbc;

    /** Both agents see the ticket open; the second to write loses instead of overwriting the first. */
    @Test
    void aClaimBasedOnAStaleReadOfTheTicketFails() throws Exception {
        UUID ticketId = openTicket();
        CountDownLatch bothRead = new CountDownLatch(2);
        CountDownLatch firstCommitted = new CountDownLatch(1);
        ExecutorService agents = Executors.newFixedThreadPool(2);

        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            EscalationTicket ticket = tickets.findById(ticketId).orElseThrow();
            bothRead.countDown();
            await(bothRead);
            ticket.claim("marta@soportemax.test", Instant.now());
            tickets.saveAndFlush(ticket);
        }), agents).whenComplete((ok, error) -> firstCommitted.countDown());
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(tx -> {
            EscalationTicket ticket = tickets.findById(ticketId).orElseThrow();
            bothRead.countDown();
            await(firstCommitted);
            ticket.claim("jorge@soportemax.test", Instant.now());
            tickets.saveAndFlush(ticket);
        }), agents);

        first.get(20, TimeUnit.SECONDS);
        assertThatThrownBy(() -> second.get(20, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ObjectOptimisticLockingFailureException.class);
        assertThat(tickets.findById(ticketId).orElseThrow().claimedBy()).isEqualTo("marta@soportemax.test");
        agents.shutdown();
    }

    private UUID openTicket() {
        UUID conversation = UUID.randomUUID();
        jdbc.update("""
                insert into conversations (id, token_hash, state, locale, created_at, updated_at)
                values (?, ?, 'ESCALATED', 'es', now(), now())""", conversation, UUID.randomUUID().toString());
        return tickets.save(new EscalationTicket(new ConversationId(conversation), EscalationReason.LOW_CONFIDENCE,
                "confidence 0.30 < 0.55", "borrador", Instant.now())).id();
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
