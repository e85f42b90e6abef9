package com.soportemax.escalation.web;

import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.PostedMessage;
import com.soportemax.escalation.internal.EscalationQueue;
import com.soportemax.escalation.internal.EscalationTicket;
import com.soportemax.escalation.internal.TicketStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/** The agents' API (role AGENT or ADMIN): the queue, claiming, replying, closing. */
@RestController
@RequestMapping("/api/agent")
@Tag(name = "Agents", description = "The agents' queue of escalated conversations")
class AgentController {

    private final EscalationQueue queue;

    AgentController(EscalationQueue queue) {
        this.queue = queue;
    }

    @GetMapping("/queue")
    @Operation(summary = "Tickets waiting for or handled by an agent, oldest first")
    List<TicketView> queue() {
        return queue.waiting().stream().map(TicketView::of).toList();
    }

    @PostMapping("/tickets/{id}/claim")
    @Operation(summary = "Take a ticket and join its conversation (409 when another agent was first)")
    TicketView claim(@PathVariable UUID id, Authentication agent) {
        return TicketView.of(queue.claim(id, agent.getName()));
    }

    @GetMapping("/conversations/{id}/messages")
    @Operation(summary = "The conversation's messages")
    List<ChatMessage> transcript(@PathVariable UUID id) {
        return queue.transcript(new ConversationId(id));
    }

    @PostMapping("/conversations/{id}/messages")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Answer the customer (the agent must have claimed the conversation)")
    PostedResponse reply(@PathVariable UUID id, @RequestBody @Valid ReplyRequest body, Authentication agent) {
        PostedMessage posted = queue.reply(new ConversationId(id), agent.getName(), body.text());
        return new PostedResponse(posted.messageId().toString(), posted.seq());
    }

    @PostMapping("/conversations/{id}/close")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "End the conversation and resolve its ticket")
    void close(@PathVariable UUID id, Authentication agent) {
        queue.close(new ConversationId(id), agent.getName());
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ProblemDetail lostRace(ObjectOptimisticLockingFailureException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Another agent took this ticket at the same moment.");
    }

    record ReplyRequest(@NotBlank @Size(max = 4000) String text) {
    }

    record PostedResponse(String messageId, long seq) {
    }

    record TicketView(UUID ticketId, String conversationId, EscalationReason reason, String detail, String botDraft,
                      TicketStatus status, String claimedBy, Instant createdAt) {
        static TicketView of(EscalationTicket ticket) {
            return new TicketView(ticket.id(), ticket.conversationId().toString(), ticket.reason(), ticket.detail(),
                    ticket.botDraft(), ticket.status(), ticket.claimedBy(), ticket.createdAt());
        }
    }
}
