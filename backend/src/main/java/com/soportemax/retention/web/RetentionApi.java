package com.soportemax.retention.web;

import com.soportemax.retention.internal.ConversationRetention;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.NoSuchElementException;
import java.util.UUID;

/** Erasing a customer's conversation on request (GDPR): over the API, or from the transcript page. */
@Controller
@Tag(name = "Retention", description = "Erase a customer's conversation on request")
class RetentionApi {

    private final ConversationRetention retention;

    RetentionApi(ConversationRetention retention) {
        this.retention = retention;
    }

    @DeleteMapping("/api/admin/conversations/{id}")
    @ResponseBody
    @Operation(summary = "Erase a conversation", description = "Deletes every message, answer record, rating, label "
            + "and ticket of the conversation; only the record of the erasure (who, when) remains.")
    ResponseEntity<Void> erase(@PathVariable UUID id, Authentication who) {
        retention.erase(id, who.getName());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/admin/transcripts/{id}/erase")
    String eraseFromPage(@PathVariable UUID id, @RequestParam(defaultValue = "false") boolean confirm,
                         Authentication who, RedirectAttributes redirect) {
        if (!confirm) {
            return "redirect:/admin/transcripts/" + id;
        }
        retention.erase(id, who.getName());
        return "redirect:/admin/transcripts";
    }

    @ExceptionHandler(NoSuchElementException.class)
    @ResponseBody
    ResponseEntity<ProblemDetail> notFound(NoSuchElementException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage()));
    }
}
