package com.soportemax.escalation.web;

import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.PostedMessage;
import com.soportemax.escalation.internal.AgentPresence;
import com.soportemax.escalation.internal.AgentStreams;
import com.soportemax.escalation.internal.CannedReplies;
import com.soportemax.escalation.internal.CannedReply;
import com.soportemax.escalation.internal.DeskEntry;
import com.soportemax.escalation.internal.EscalationQueue;
import com.soportemax.escalation.internal.EscalationTicket;
import com.soportemax.escalation.internal.QueueFilter;
import com.soportemax.escalation.internal.TicketStatus;
import com.soportemax.escalation.internal.TranscriptEntry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** The agents' API (role AGENT or ADMIN): the queue, live events, claiming, replying, notes and hand-offs. */
@RestController
@RequestMapping("/api/agent")
@Tag(name = "Agents", description = "The agents' queue of escalated conversations")
class AgentApi {

    private final EscalationQueue queue;
    private final AgentStreams streams;
    private final AgentPresence presence;
    private final CannedReplies cannedReplies;

    AgentApi(EscalationQueue queue, AgentStreams streams, AgentPresence presence, CannedReplies cannedReplies) {
        this.queue = queue;
        this.streams = streams;
        this.presence = presence;
        this.cannedReplies = cannedReplies;
    }

    @GetMapping("/queue")
    @Operation(summary = "Tickets waiting for or handled by an agent: the most urgent first, then the longest waiting",
            description = "filter: all (default), mine, unassigned")
    List<TicketView> queue(@RequestParam(defaultValue = "all") String filter, Authentication agent) {
        return queue.waiting(filter(filter), agent.getName()).stream().map(TicketView::of).toList();
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Live events for agents (server-sent events, resumable with Last-Event-ID)", description = """
            `queue` {"change":"new|claimed|released|transferred|resolved|priority","ticketId","conversationId"} for every
            ticket; for the conversations given as `conversation` parameters: `message` {"conversationId","message"},
            `state` {"conversationId","state"} and `desk` {"conversationId"} (a note or an agent's action).""")
    SseEmitter events(@RequestParam(name = "conversation", required = false) List<UUID> conversations,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                      Authentication agent) {
        Set<ConversationId> watching = conversations == null ? Set.of()
                : conversations.stream().map(ConversationId::new).collect(Collectors.toSet());
        return streams.subscribe(agent.getName(), watching, parseEventId(lastEventId));
    }

    @PostMapping("/tickets/{id}/claim")
    @Operation(summary = "Take a ticket and join its conversation (409 when another agent was first)")
    TicketView claim(@PathVariable UUID id, Authentication agent) {
        return TicketView.of(queue.claim(id, agent.getName()));
    }

    @GetMapping("/conversations/{id}/messages")
    @Operation(summary = "The conversation's messages, as the customer sees them")
    List<ChatMessage> transcript(@PathVariable UUID id) {
        return queue.transcript(new ConversationId(id));
    }

    @GetMapping("/conversations/{id}/transcript")
    @Operation(summary = "The messages with the agents' internal notes and actions, in order")
    List<TranscriptLine> agentTranscript(@PathVariable UUID id) {
        return queue.agentTranscript(new ConversationId(id)).stream().map(TranscriptLine::of).toList();
    }

    @PostMapping("/conversations/{id}/messages")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Answer the customer (the agent must have claimed the conversation)")
    PostedResponse reply(@PathVariable UUID id, @RequestBody @Valid TextRequest body, Authentication agent) {
        PostedMessage posted = queue.reply(new ConversationId(id), agent.getName(), body.text());
        return new PostedResponse(posted.messageId().toString(), posted.seq());
    }

    @PostMapping("/conversations/{id}/notes")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "An internal note for agents; never sent to the customer")
    NoteResponse note(@PathVariable UUID id, @RequestBody @Valid TextRequest body, Authentication agent) {
        DeskEntry note = queue.note(new ConversationId(id), agent.getName(), body.text());
        return new NoteResponse(note.id().toString(), note.createdAt());
    }

    @PostMapping("/conversations/{id}/handback")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Give the conversation back to the bot; it answers the customer's next message")
    void handBack(@PathVariable UUID id, Authentication agent) {
        queue.handBack(new ConversationId(id), agent.getName());
    }

    @PostMapping("/conversations/{id}/transfer")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Hand the conversation to another agent")
    void transfer(@PathVariable UUID id, @RequestBody @Valid TransferRequest body, Authentication agent) {
        queue.transfer(new ConversationId(id), agent.getName(), body.agentEmail());
    }

    @PostMapping("/conversations/{id}/release")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Put the conversation back in the queue")
    void release(@PathVariable UUID id, Authentication agent) {
        queue.release(new ConversationId(id), agent.getName());
    }

    @PostMapping("/conversations/{id}/resolve")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Resolve: the conversation ends and the customer is asked for a rating; if they write again, "
            + "the bot answers")
    void resolve(@PathVariable UUID id, Authentication agent) {
        queue.resolve(new ConversationId(id), agent.getName());
    }

    @PostMapping("/conversations/{id}/close")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Same as resolve")
    void close(@PathVariable UUID id, Authentication agent) {
        queue.close(new ConversationId(id), agent.getName());
    }

    @PutMapping("/presence")
    @Operation(summary = "Set yourself online or away")
    PresenceView presence(@RequestBody @Valid PresenceRequest body, Authentication agent) {
        presence.choose(agent.getName(), body.status());
        return new PresenceView(presence.statusOf(agent.getName()));
    }

    @GetMapping("/canned-replies")
    @Operation(summary = "Canned replies, for inserting with / + shortcut")
    List<CannedReply> cannedReplies(@RequestParam(required = false) String language) {
        return language == null ? cannedReplies.all() : cannedReplies.inLanguage(language);
    }

    private static QueueFilter filter(String text) {
        try {
            return QueueFilter.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("filter must be all, mine or unassigned, not '" + text + "'.");
        }
    }

    private static Long parseEventId(String lastEventId) {
        if (lastEventId == null || lastEventId.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(lastEventId.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Last-Event-ID must be an event id (a number), not '" + lastEventId + "'.");
        }
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ProblemDetail conflict(IllegalStateException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(ObjectOptimisticLockingFailureException.class)
    ProblemDetail lostRace(ObjectOptimisticLockingFailureException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
                "Another agent took this ticket at the same moment.");
    }

    record TextRequest(@NotBlank @Size(max = 4000) String text) {
    }

    record TransferRequest(@NotBlank @Email @Size(max = 320) String agentEmail) {
    }

    record PresenceRequest(@NotNull AgentPresence.Status status) {
    }

    record PresenceView(AgentPresence.Status status) {
    }

    record PostedResponse(String messageId, long seq) {
    }

    record NoteResponse(String noteId, Instant createdAt) {
    }

    /** One line of the agents' transcript: kind MESSAGE (with role) or a desk entry kind (NOTE, CLAIMED...). */
    record TranscriptLine(String kind, String role, String authorName, String text, Instant createdAt, Long seq) {
        static TranscriptLine of(TranscriptEntry entry) {
            return switch (entry) {
                case TranscriptEntry.Message m -> new TranscriptLine("MESSAGE", m.message().author().name(),
                        m.message().authorName(), m.message().text(), m.message().createdAt(), m.message().seq());
                case TranscriptEntry.Desk d -> new TranscriptLine(d.entry().kind().name(), null, d.entry().authorName(),
                        d.entry().text(), d.entry().createdAt(), null);
            };
        }
    }

    record TicketView(UUID ticketId, String conversationId, EscalationReason reason, int priority, String detail,
                      String botDraft, TicketStatus status, String claimedBy, Instant createdAt) {
        static TicketView of(EscalationTicket ticket) {
            return new TicketView(ticket.id(), ticket.conversationId().toString(), ticket.reason(), ticket.priority(),
                    ticket.detail(), ticket.botDraft(), ticket.status(), ticket.claimedBy(), ticket.createdAt());
        }
    }
}
