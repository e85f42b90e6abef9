package com.soportemax.escalation.internal;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

interface EscalationTicketRepository extends JpaRepository<EscalationTicket, UUID> {

    List<EscalationTicket> findByStatusInOrderByPriorityAscCreatedAtAsc(Collection<TicketStatus> statuses);

    long countByStatus(TicketStatus status);

    Optional<EscalationTicket> findFirstByConversationIdOrderByCreatedAtDesc(UUID conversationId);

    Optional<EscalationTicket> findFirstByConversationIdAndStatusNot(UUID conversationId, TicketStatus status);
}
