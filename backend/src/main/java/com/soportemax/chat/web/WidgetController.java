package com.soportemax.chat.web;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.ConversationState;
import com.soportemax.chat.PostedMessage;
import com.soportemax.chat.internal.ConversationStreams;
import com.soportemax.chat.internal.Conversations;
import com.soportemax.chat.internal.Language;
import com.soportemax.chat.internal.MessageView;
import com.soportemax.chat.internal.RequestLimits;
import com.soportemax.chat.internal.StreamAdmission;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * The customer widget's API. A conversation is created without credentials; every other call carries the
 * conversation's token as {@code Authorization: Bearer <token>} (never in a URL).
 */
@RestController
@RequestMapping(path = "/api/widget/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Widget", description = "The customer chat widget: conversations, messages, live events, escalation, rating")
@SecurityScheme(name = WidgetController.WIDGET_TOKEN, type = SecuritySchemeType.HTTP, scheme = "bearer",
        description = "The token returned when the conversation was created")
class WidgetController {

    static final String WIDGET_TOKEN = "widgetToken";
    static final int MAX_TEXT_LENGTH = 4000;

    private final Conversations conversations;
    private final ConversationStreams streams;
    private final RequestLimits limits;
    private final WidgetAccess access;
    private final StreamAdmission admission;

    WidgetController(Conversations conversations, ConversationStreams streams, RequestLimits limits,
                     WidgetAccess access, StreamAdmission admission) {
        this.conversations = conversations;
        this.streams = streams;
        this.limits = limits;
        this.access = access;
        this.admission = admission;
    }

    @PostMapping(consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Start a conversation", description = "Returns the conversation's id and its bearer token, "
            + "which the widget keeps (it is shown only this once). Locale defaults to \"es\".")
    @ApiResponse(responseCode = "201", description = "Created")
    @ApiResponse(responseCode = "400", description = "Unsupported locale", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "429", description = "Too many conversations from this address", content = @Content(schema = @Schema(hidden = true)))
    ResponseEntity<StartedResponse> start(@RequestBody(required = false) @Valid StartRequest body,
                                          HttpServletRequest request) {
        limits.startConversation(request.getRemoteAddr());
        Language language = Language.of(body == null || body.locale() == null ? "es" : body.locale());
        Conversations.StartedConversation started = conversations.start(language, body == null ? null : body.page(),
                body == null ? null : body.browserId());
        return ResponseEntity.created(URI.create("/api/widget/conversations/" + started.conversationId()))
                .body(new StartedResponse(started.conversationId().toString(), started.token()));
    }

    @PostMapping(path = "/{id}/messages", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Post the customer's message", description = "Stores the message, then the bot answers "
            + "(or the agent, once one has joined). Posting the same clientMessageId again returns the same answer "
            + "and stores nothing.", security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "202", description = "Stored")
    @ApiResponse(responseCode = "400", description = "Missing or invalid field", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "401", description = "Missing or unknown token", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "404", description = "Not this token's conversation", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "409", description = "The conversation is closed", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "429", description = "Too many messages", content = @Content(schema = @Schema(hidden = true)))
    PostedResponse post(@PathVariable String id, @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                        @RequestBody @Valid PostMessageRequest body, HttpServletRequest request) {
        ConversationId conversation = access.authorize(id, authorization);
        limits.postMessageFrom(request.getRemoteAddr());
        PostedMessage posted = conversations.postCustomerMessage(conversation, body.clientMessageId(), body.text(),
                request.getRemoteAddr());
        return new PostedResponse(posted.messageId().toString(), posted.seq());
    }

    @GetMapping("/{id}/messages")
    @Operation(summary = "Read the conversation", description = "Its state and the messages after seq `after` "
            + "(all when omitted). A bot message still being written has complete=false and its text so far.",
            security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "200", description = "The state and messages")
    @ApiResponse(responseCode = "401", description = "Missing or unknown token", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "404", description = "Not this token's conversation", content = @Content(schema = @Schema(hidden = true)))
    MessagesResponse messages(@PathVariable String id,
                              @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                              @RequestParam(defaultValue = "0") @PositiveOrZero long after) {
        ConversationId conversation = access.authorize(id, authorization);
        Conversations.Snapshot snapshot = conversations.messagesAfter(conversation, after);
        return new MessagesResponse(snapshot.state(), snapshot.language().code(), snapshot.messages(),
                snapshot.emailOffered(), snapshot.contactEmail());
    }

    @GetMapping(path = "/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Operation(summary = "Follow the conversation live (server-sent events)", description = """
            Replays the stored messages after `Last-Event-ID` (or `after`; all when neither is given), then streams live:
            `message` (a complete message, same JSON as in the list; the event id is a seq to resume from),
            `delta` (`{"seq","offset","text"}`: text of a bot message being written, starting at character `offset`;
            replace the message's text from `offset`), `retract` (`{"seq"}`: a bot message withdrawn),
            `state` (`{"state"}`). Comments keep idle streams open. Messages may repeat across reconnects: key them by seq.""",
            security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "200", description = "An event stream", content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE))
    @ApiResponse(responseCode = "401", description = "Missing or unknown token", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "404", description = "Not this token's conversation", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "409", description = "The conversation is closed: nothing more will happen in it", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "429", description = "Too many open streams from this address or for this conversation (Retry-After)", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "503", description = "The server holds all the streams it can (Retry-After)", content = @Content(schema = @Schema(hidden = true)))
    SseEmitter events(@PathVariable String id,
                      @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                      @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId,
                      @RequestParam(required = false) @PositiveOrZero Long after,
                      HttpServletRequest request) {
        admission.refuseIfAddressHoldsItsShare(request.getRemoteAddr());
        ConversationId conversation = access.authorize(id, authorization);
        long resumeAfter = resumeAfter(lastEventId, after);
        if (conversations.messagesAfter(conversation, Long.MAX_VALUE).state() == ConversationState.CLOSED) {
            throw new IllegalStateException("The conversation is closed; read its messages with GET .../messages.");
        }
        StreamAdmission.Admitted admitted = admission.admit(request.getRemoteAddr(), conversation);
        try {
            SseEmitter emitter = streams.subscribe(conversation, resumeAfter);
            emitter.onCompletion(admitted::release);
            emitter.onTimeout(admitted::release);
            emitter.onError(error -> admitted.release());
            return emitter;
        } catch (RuntimeException e) {
            admitted.release();
            throw e;
        }
    }

    @PostMapping(path = "/{id}/escalate", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Ask for a person", description = "Hands the conversation to the agents' queue; the customer "
            + "gets a notice. Asking again changes nothing.", security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "200", description = "The conversation's state afterwards")
    @ApiResponse(responseCode = "401", description = "Missing or unknown token", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "404", description = "Not this token's conversation", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "409", description = "The conversation is closed", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "429", description = "Too many requests for a person from this address", content = @Content(schema = @Schema(hidden = true)))
    StateResponse escalate(@PathVariable String id,
                           @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                           HttpServletRequest request) {
        ConversationId conversation = access.authorize(id, authorization);
        limits.escalateFrom(request.getRemoteAddr());
        return new StateResponse(conversations.escalateByCustomer(conversation));
    }

    @PostMapping(path = "/{id}/contact", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Leave an e-mail address for the answer", description = "When nobody could answer live, "
            + "the customer leaves an address; the agent's answer goes there by e-mail (and into the chat).",
            security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "200", description = "Stored")
    @ApiResponse(responseCode = "400", description = "Not an e-mail address", content = @Content(schema = @Schema(hidden = true)))
    ContactResponse contact(@PathVariable String id,
                            @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                            @RequestBody @Valid ContactRequest body) {
        ConversationId conversation = access.authorize(id, authorization);
        conversations.leaveContactEmail(conversation, body.email().strip());
        return new ContactResponse(body.email().strip());
    }

    @PostMapping(path = "/{id}/close", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "End the conversation", description = "The customer leaves; they can still rate it.",
            security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "200", description = "The conversation's state afterwards (CLOSED)")
    StateResponse close(@PathVariable String id,
                        @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        return new StateResponse(conversations.closeByCustomer(access.authorize(id, authorization)));
    }

    @DeleteMapping("/{id}/token")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Forget the conversation on this browser", description = "Revokes the token: every later "
            + "call with it answers 401. The widget's \"forget this conversation\" calls this after removing the "
            + "conversation from the browser's storage. The conversation stays for the support team.",
            security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "401", description = "Missing, unknown or already revoked token", content = @Content(schema = @Schema(hidden = true)))
    @ApiResponse(responseCode = "404", description = "Not this token's conversation", content = @Content(schema = @Schema(hidden = true)))
    void forget(@PathVariable String id,
                @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        conversations.revokeToken(access.authorize(id, authorization));
    }

    @PostMapping(path = "/{id}/rating", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Rate the conversation", description = "Score 1–5 with an optional comment; rating again "
            + "replaces the earlier rating.", security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "201", description = "Rated")
    @ApiResponse(responseCode = "200", description = "Earlier rating replaced")
    @ApiResponse(responseCode = "400", description = "Score outside 1–5 or comment too long", content = @Content(schema = @Schema(hidden = true)))
    ResponseEntity<RatingResponse> rate(@PathVariable String id,
                                        @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                        @RequestBody @Valid RatingRequest body) {
        ConversationId conversation = access.authorize(id, authorization);
        boolean created = conversations.rate(conversation, body.score(), body.comment());
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new RatingResponse(body.score(), body.comment()));
    }

    @PostMapping(path = "/{id}/messages/{seq}/feedback", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Rate one bot answer", description = "Thumbs up (helpful: true) or down, with an optional "
            + "reason; rating the same answer again replaces it.", security = @SecurityRequirement(name = WIDGET_TOKEN))
    @ApiResponse(responseCode = "201", description = "Rated")
    @ApiResponse(responseCode = "200", description = "Earlier feedback replaced")
    @ApiResponse(responseCode = "404", description = "No bot answer with that seq", content = @Content(schema = @Schema(hidden = true)))
    ResponseEntity<FeedbackResponse> feedback(@PathVariable String id, @PathVariable long seq,
                                              @Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                              @RequestBody @Valid FeedbackRequest body) {
        ConversationId conversation = access.authorize(id, authorization);
        boolean created = conversations.rateAnswer(conversation, seq, body.helpful(), body.reason());
        return ResponseEntity.status(created ? HttpStatus.CREATED : HttpStatus.OK)
                .body(new FeedbackResponse(seq, body.helpful()));
    }

    private static long resumeAfter(String lastEventId, Long after) {
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                return Math.max(0, Long.parseLong(lastEventId.strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Last-Event-ID must be a message seq (a number), not '" + lastEventId + "'.");
            }
        }
        return after == null ? 0 : after;
    }

    record StartRequest(@Schema(description = "\"es\" (default) or \"en\"", example = "es")
                        @Pattern(regexp = "es|en", message = "must be \"es\" or \"en\"") String locale,
                        @Schema(description = "The page the widget was opened on, shown to agents")
                        @Size(max = 2000) String page,
                        @Schema(description = "The widget's random id for this browser: agents see earlier conversations")
                        UUID browserId) {
    }

    record ContactRequest(@NotBlank @jakarta.validation.constraints.Email @Size(max = 320) String email) {
    }

    record ContactResponse(String email) {
    }

    record StartedResponse(String conversationId, String token) {
    }

    record PostMessageRequest(
            @Schema(description = "Generated by the widget for each message; a retry reuses it")
            @NotNull UUID clientMessageId,
            @Schema(maxLength = MAX_TEXT_LENGTH)
            @NotBlank @Size(max = MAX_TEXT_LENGTH) String text) {
    }

    record PostedResponse(String messageId, long seq) {
    }

    record MessagesResponse(ConversationState state, String locale, List<MessageView> messages, boolean emailOffered,
                            String contactEmail) {
    }

    record StateResponse(ConversationState state) {
    }

    record RatingRequest(@NotNull @Min(1) @Max(5) Integer score, @Size(max = 2000) String comment) {
    }

    record RatingResponse(int score, String comment) {
    }

    record FeedbackRequest(@Schema(description = "true: thumbs up") @NotNull Boolean helpful,
                           @Size(max = 500) String reason) {
    }

    record FeedbackResponse(long seq, boolean helpful) {
    }
}
