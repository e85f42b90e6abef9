package com.soportemax.escalation.web;

import com.soportemax.chat.ConversationId;
import com.soportemax.escalation.internal.TranscriptReads;
import com.soportemax.escalation.internal.TranscriptReads.ReadFilter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * Admins audit who read which transcript: {@code /admin/transcript-reads} (page) and
 * {@code /api/admin/transcript-reads} (JSON), newest first, by conversation, staff member and days (UTC), a page at
 * a time (the next page starts before the last read of the previous one).
 */
@Controller
@Tag(name = "Transcript reads", description = "Every read of a transcript by staff (HTTP Basic, role ADMIN)")
class TranscriptReadsController {

    static final String VIEW = "escalation/transcript-reads";
    private static final int PAGE = 50;

    private final TranscriptReads reads;

    TranscriptReadsController(TranscriptReads reads) {
        this.reads = reads;
    }

    @GetMapping("/admin/transcript-reads")
    String page(@RequestParam(required = false) UUID conversation, @RequestParam(required = false) String staff,
                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                @RequestParam(required = false) Long before, Model model) {
        List<TranscriptReads.Read> found;
        try {
            found = reads.recent(filter(conversation, staff, from, to, before, PAGE));
        } catch (IllegalArgumentException e) {
            // A form's days the wrong way round: said on the page, above the filters as they were sent.
            found = List.of();
            model.addAttribute("badDays", true);
        }
        model.addAttribute("reads", found);
        model.addAttribute("conversation", conversation);
        model.addAttribute("staff", staff);
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("paged", before != null);
        model.addAttribute("members", reads.staff());
        model.addAttribute("older", found.size() == PAGE ? found.getLast().id() : null);
        return VIEW;
    }

    @GetMapping("/api/admin/transcript-reads")
    @ResponseBody
    @Operation(summary = "Reads of transcripts by staff, newest first",
            description = "conversation (an id), staff (an e-mail), from and to (yyyy-mm-dd, UTC days, inclusive) "
                    + "narrow the list; before: the id of the last read of the previous page; limit: 1 to 500 "
                    + "(default 100). Each read says who (e-mail and name), when, which conversation, through what "
                    + "(PAGE, FRAGMENT, API) and the route that showed it (source).")
    List<ReadView> api(@RequestParam(required = false) UUID conversation, @RequestParam(required = false) String staff,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
                       @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
                       @RequestParam(required = false) Long before, @RequestParam(defaultValue = "100") int limit) {
        return reads.recent(filter(conversation, staff, from, to, before, limit)).stream().map(ReadView::of).toList();
    }

    private static ReadFilter filter(UUID conversation, String staff, LocalDate from, LocalDate to, Long before,
                                     int limit) {
        return new ReadFilter(conversation == null ? null : new ConversationId(conversation), staff, from, to, before,
                limit);
    }

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseBody
    ProblemDetail badRequest(IllegalArgumentException e) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    // Otherwise the handler above would answer with the parser's own words ("Parse attempt failed…"), naming nothing.
    @ExceptionHandler(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException.class)
    @ResponseBody
    ProblemDetail malformed(org.springframework.web.method.annotation.MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == LocalDate.class ? "a day (yyyy-mm-dd)"
                : e.getRequiredType() == UUID.class ? "an id (a UUID)" : "a whole number";
        return ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "'" + e.getName() + "' must be " + expected + ", not '" + e.getValue() + "'.");
    }

    record ReadView(long id, String staffEmail, String staffName, String conversationId, TranscriptReads.Via via,
                    String source, Instant at) {
        static ReadView of(TranscriptReads.Read read) {
            return new ReadView(read.id(), read.staffEmail(), read.staffName(), read.conversation().toString(),
                    read.via(), read.source(), read.at());
        }
    }
}
