package com.soportemax.escalation.internal;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

interface EscalationTicketRepository extends JpaRepository<EscalationTicket, UUID> {

    /**
     * Open and claimed tickets after a place in the queue order (priority, waiting since, id), filtered as
     * {@link QueueFilter} names ({@code ALL}, {@code UNASSIGNED}, {@code MINE} of {@code agent}).
     */
    @Query(nativeQuery = true, value = """
            select * from escalation_tickets t
            where t.status in ('OPEN', 'CLAIMED')
              and (:filter = 'ALL' or (:filter = 'UNASSIGNED' and t.status = 'OPEN')
                   or (:filter = 'MINE' and t.status = 'CLAIMED' and lower(t.claimed_by) = lower(:agent)))
              and (t.priority, t.created_at, t.id) > (:priority, :createdAt, :ticketId)
            order by t.priority, t.created_at, t.id
            limit :limit""")
    List<EscalationTicket> queuePage(@Param("filter") String filter, @Param("agent") String agent,
                                     @Param("priority") int priority, @Param("createdAt") Instant createdAt,
                                     @Param("ticketId") UUID ticketId, @Param("limit") int limit);

    /**
     * The ticket, locked for this transaction. When another transaction holds the lock (an agent claiming it at this
     * moment) it fails at once instead of waiting, so agents who lose a race give their database connection back
     * straight away rather than queueing behind the winner.
     */
    @Query(nativeQuery = true, value = "select * from escalation_tickets where id = :id for update nowait")
    Optional<EscalationTicket> lockNowait(@Param("id") UUID id);

    /** The ids of the tickets this agent holds now. */
    @Query(nativeQuery = true, value = """
            select id from escalation_tickets where status = 'CLAIMED' and lower(claimed_by) = lower(:agent)""")
    List<UUID> claimedBy(@Param("agent") String agentEmail);

    long countByStatus(TicketStatus status);

    Optional<EscalationTicket> findFirstByConversationIdOrderByCreatedAtDesc(UUID conversationId);

    Optional<EscalationTicket> findFirstByConversationIdAndStatusNot(UUID conversationId, TicketStatus status);
}
