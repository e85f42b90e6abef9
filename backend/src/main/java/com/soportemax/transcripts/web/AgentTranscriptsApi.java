package com.soportemax.transcripts.web;

import com.soportemax.chat.ConversationId;
import com.soportemax.escalation.TranscriptAccess;
import com.soportemax.privacy.NameLexicon;
import org.springframework.security.core.Authentication;

import com.soportemax.transcripts.internal.TranscriptDetail;
import com.soportemax.transcripts.internal.Transcripts;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * Transcripts for staff who are not admins (agents): read only, and every text with its personal data replaced by
 * the conversation's placeholders. Admins review the clear text at {@code /api/admin/conversations/{id}}.
 */
@RestController
@RequestMapping(path = "/api/agent/transcripts", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Transcripts")
class AgentTranscriptsApi {

    private final Transcripts transcripts;
    private final TranscriptAccess access;
    private final NameLexicon names;

    AgentTranscriptsApi(Transcripts transcripts, TranscriptAccess access, NameLexicon names) {
        this.transcripts = transcripts;
        this.access = access;
        this.names = names;
    }

    @GetMapping("/{id}")
    @Operation(summary = "One transcript, personal data replaced", description = "The admins' transcript with e-mails, "
            + "phone numbers, IBANs, cards, DNI/NIE/CIF and people's names replaced by placeholders that "
            + "stay the same within the conversation (<EMAIL_1>, <PHONE_1>, <NAME_1>...).")
    TranscriptDetail detail(@PathVariable UUID id, Authentication reader) {
        // Only a conversation the agent may read (404 otherwise, as for an id of nothing); the read is recorded.
        access.read(new ConversationId(id), reader.getName());
        return transcripts.detail(id).redacted(names);
    }

    @ExceptionHandler(NoSuchElementException.class)
    ProblemDetail notFound(NoSuchElementException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
    }
}
