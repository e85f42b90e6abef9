package com.soportemax.transcripts.web;

import com.soportemax.chat.ConversationId;
import com.soportemax.escalation.TranscriptAccess;
import org.springframework.security.core.Authentication;

import com.soportemax.transcripts.internal.TranscriptDetail;
import com.soportemax.transcripts.internal.TranscriptFilter;
import com.soportemax.transcripts.internal.TranscriptPage;
import com.soportemax.transcripts.internal.TranscriptSearch;
import com.soportemax.transcripts.internal.Transcripts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.NoSuchElementException;
import java.util.UUID;

/** Transcript review over JSON, for admins (HTTP Basic or a signed-in session). */
@RestController
@RequestMapping(path = "/api/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Transcripts", description = "Admins search, read, label and approve conversations")
class TranscriptsApi {

    private final TranscriptSearch search;
    private final Transcripts transcripts;
    private final TranscriptAccess access;

    TranscriptsApi(TranscriptSearch search, Transcripts transcripts, TranscriptAccess access) {
        this.access = access;
        this.search = search;
        this.transcripts = transcripts;
    }

    @GetMapping("/conversations")
    @Operation(summary = "Search transcripts", description = "Filters: q (Spanish full text), from, to (yyyy-mm-dd, UTC), "
            + "outcome, escalated, reason, minConfidence, maxConfidence, rating, label, agent, language, review; "
            + "sort (createdAt, lastMessageAt, confidence, rating), direction, page (from 0), size (≤ 200).")
    TranscriptPage list(@Valid @ModelAttribute TranscriptFilter filter) {
        return search.search(filter);
    }

    @GetMapping("/conversations/{id}")
    @Operation(summary = "One transcript", description = "Every message and unsent draft with the assistant's "
            + "confidence, its components and passages, labels, feedback, escalation, rating and review history.")
    TranscriptDetail detail(@PathVariable UUID id, Authentication admin) {
        TranscriptDetail detail = transcripts.detail(id);
        access.recordAdminRead(new ConversationId(id), admin.getName(), false);
        return detail;
    }

    @PostMapping(path = "/messages/{id}/label", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Label an answer", description = "good, bad or unsafe, with an optional corrected answer.")
    TranscriptDetail.Label label(@PathVariable UUID id, @Valid @RequestBody LabelRequest body, Authentication who) {
        return transcripts.label(id, body.label(), body.correctedText(), who.getName());
    }

    @PostMapping(path = "/conversations/{id}/approve", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Approve a conversation for training datasets")
    TranscriptDetail.Review approve(@PathVariable UUID id, Authentication who) {
        return transcripts.decide(id, true, who.getName());
    }

    @PostMapping(path = "/conversations/{id}/reject", consumes = MediaType.ALL_VALUE)
    @Operation(summary = "Keep a conversation out of training datasets")
    TranscriptDetail.Review reject(@PathVariable UUID id, Authentication who) {
        return transcripts.decide(id, false, who.getName());
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }

    record LabelRequest(@NotNull @Pattern(regexp = "good|bad|unsafe", message = "must be good, bad or unsafe") String label,
                        @Size(max = 8000) String correctedText) {
    }
}
