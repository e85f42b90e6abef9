package com.soportemax.escalation.web;

import com.soportemax.chat.ChatMessage;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.PostedMessage;
import com.soportemax.escalation.internal.AgentPresence;
import com.soportemax.escalation.internal.AgentStreams;
import com.soportemax.escalation.internal.CannedReplies;
import com.soportemax.escalation.internal.CannedReply;
import com.soportemax.escalation.internal.DeskAction;
import com.soportemax.escalation.internal.DeskEntry;
import com.soportemax.escalation.internal.EscalationQueue;
import com.soportemax.escalation.internal.EscalationTicket;
import com.soportemax.escalation.internal.EscalationSettings;
import com.soportemax.escalation.internal.QueueFilter;
import com.soportemax.escalation.internal.QueuePage;
import com.soportemax.escalation.internal.TicketStatus;
import com.soportemax.escalation.internal.TranscriptEntry;
import com.soportemax.escalation.internal.TranscriptReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
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
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

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
    private final EscalationSettings settings;

    AgentApi(EscalationQueue queue, AgentStreams streams, AgentPresence presence, CannedReplies cannedReplies,
             EscalationSettings settings) {
        this.queue = queue;
        this.settings = settings;
        this.streams = streams;
        this.presence = presence;
        this.cannedReplies = cannedReplies;
    }

    @GetMapping("/queue")
    @Operation(summary = "One page of the tickets waiting for or handled by an agent: the most urgent first, then the "
            + "longest waiting", description = """
            filter: all (default), mine, unassigned; size: tickets per page (default soportemax.escalation.queue-page-size,
            at most 200); after: the cursor of the next page, given in the `Link: <...>; rel="next"` header (absent on
            the last page). The bot's draft and detail of a ticket another agent holds are left out (null).""")
    ResponseEntity<List<TicketView>> queue(@RequestParam(defaultValue = "all") String filter,
                                           @RequestParam(required = false) Integer size,
                                           @RequestParam(required = false) String after, Authentication agent) {
        QueueFilter chosen = filter(filter);
        QueuePage page = queue.waiting(chosen, agent.getName(), after, size == null ? settings.queuePageSize() : size);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (page.next() != null) {
            String next = ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("after", page.next())
                    .build().toUriString();
            response.header(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
        }
        return response.body(page.tickets().stream()
                .map(ticket -> TicketView.of(ticket, queue.mayRead(ticket.conversationId(), agent.getName())))
                .toList());
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Live events for agents (server-sent events, resumable with Last-Event-ID)", description = """
            `queue` {"change":"new|claimed|released|transferred|resolved|priority","ticketId","conversationId"} for every
            ticket; for the conversations given as `conversation` parameters: `message` {"conversationId","message"},
            `state` {"conversationId","state"} and `desk` {"conversationId"} (a note or an agent's action).""")
    SseEmitter events(@RequestParam(name = "conversation", required = false) List<UUID> conversations,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                      Authentication agent) {
        return streams.subscribe(agent.getName(), readable(conversations, agent), parseEventId(lastEventId));
    }

    @PostMapping("/tickets/{id}/claim")
    @Operation(summary = "Take a ticket and join its conversation (409 when another agent was first)")
    TicketView claim(@PathVariable UUID id, Authentication agent) {
        return TicketView.of(queue.claim(id, agent.getName()), true);
    }

    @GetMapping("/conversations/{id}/messages")
    @Operation(summary = "The conversation's messages, as the customer sees them (404 for a conversation the agent "
            + "may not read: not in the queue, not theirs, not one they handled). The read is recorded.")
    List<ChatMessage> transcript(@PathVariable UUID id, Authentication agent) {
        return queue.transcript(new ConversationId(id), agent.getName(), TranscriptReads.Via.API);
    }

    @GetMapping("/conversations/{id}/transcript")
    @Operation(summary = "The messages with the agents' internal notes and actions, in order (404 as for messages). "
            + "The read is recorded.")
    List<TranscriptLine> agentTranscript(@PathVariable UUID id, Authentication agent) {
        return queue.agentTranscript(new ConversationId(id), agent.getName(), TranscriptReads.Via.API).stream()
                .map(TranscriptLine::of).toList();
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

    @PostMapping("/conversations/{id}/{action:handback|release|resolve|close}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Take the conversation off your hands (the agent in charge, or an admin)", description = """
            handback: the bot answers the customer's next message; release: back to the queue for another agent;
            resolve (or close): the conversation ends, the customer is asked for a rating, and if they write again the
            bot answers. The customer is told in each case.""")
    void act(@PathVariable UUID id, @PathVariable String action, Authentication agent) {
        queue.act(new ConversationId(id), agent.getName(), DeskAction.named(action));
    }

    @PostMapping("/conversations/{id}/transfer")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Hand the conversation to another agent")
    void transfer(@PathVariable UUID id, @RequestBody @Valid TransferRequest body, Authentication agent) {
        queue.transfer(new ConversationId(id), agent.getName(), body.agentEmail());
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

    /** The conversations a stream watches; one the agent may not read answers 404, as if it did not exist. */
    private Set<ConversationId> readable(List<UUID> conversations, Authentication agent) {
        if (conversations == null) {
            return Set.of();
        }
        Set<ConversationId> watching = conversations.stream().map(ConversationId::new).collect(Collectors.toSet());
        watching.forEach(conversation -> {
            if (!queue.mayRead(conversation, agent.getName())) {
                throw new NoSuchElementException("No conversation " + conversation + ".");
            }
        });
        return watching;
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
        /** Without the draft and detail when the agent may not read the conversation (another agent holds it). */
        static TicketView of(EscalationTicket ticket, boolean readable) {
            return new TicketView(ticket.id(), ticket.conversationId().toString(), ticket.reason(), ticket.priority(),
                    readable ? ticket.detail() : null, readable ? ticket.botDraft() : null, ticket.status(),
                    ticket.claimedBy(), ticket.createdAt());
        }
    }
}
