package com.soportemax.escalation.web;

import com.soportemax.chat.ConversationId;
import com.soportemax.escalation.internal.TranscriptReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Admins audit who read which transcript: {@code /admin/transcript-reads} (page) and
 * {@code /api/admin/transcript-reads} (JSON), newest first, by conversation and/or staff member.
 */
@Controller
@Tag(name = "Transcript reads", description = "Every read of a transcript by staff (HTTP Basic, role ADMIN)")
class TranscriptReadsController {

    static final String VIEW = "escalation/transcript-reads";
    private static final int PAGE = 100;

    private final TranscriptReads reads;

    TranscriptReadsController(TranscriptReads reads) {
        this.reads = reads;
    }

    @GetMapping("/admin/transcript-reads")
    String page(@RequestParam(required = false) UUID conversation, @RequestParam(required = false) String staff,
                @RequestParam(required = false) Long before, Model model) {
        List<TranscriptReads.Read> found = recent(conversation, staff, before, PAGE);
        model.addAttribute("reads", found);
        model.addAttribute("conversation", conversation);
        model.addAttribute("staff", staff);
        model.addAttribute("older", found.size() == PAGE ? found.getLast().id() : null);
        return VIEW;
    }

    @GetMapping("/api/admin/transcript-reads")
    @ResponseBody
    @Operation(summary = "Reads of transcripts by staff, newest first",
            description = "conversation and staff (an e-mail) narrow the list; before: the id of the last read of the "
                    + "previous page; limit: 1 to 500 (default 100)")
    List<ReadView> api(@RequestParam(required = false) UUID conversation, @RequestParam(required = false) String staff,
                       @RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 500) {
            throw new IllegalArgumentException("limit must be between 1 and 500, not " + limit + ".");
        }
        return recent(conversation, staff, before, limit).stream().map(ReadView::of).toList();
    }

    private List<TranscriptReads.Read> recent(UUID conversation, String staff, Long before, int limit) {
        return reads.recent(conversation == null ? null : new ConversationId(conversation), staff, before, limit);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseBody
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    record ReadView(long id, String staffEmail, String conversationId, TranscriptReads.Via via, Instant at) {
        static ReadView of(TranscriptReads.Read read) {
            return new ReadView(read.id(), read.staffEmail(), read.conversation().toString(), read.via(), read.at());
        }
    }
}
