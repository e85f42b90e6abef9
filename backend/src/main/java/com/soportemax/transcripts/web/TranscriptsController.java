package com.soportemax.transcripts.web;

import com.soportemax.chat.ConversationId;
import com.soportemax.escalation.TranscriptAccess;
import org.springframework.security.core.Authentication;

import com.soportemax.transcripts.internal.TranscriptFilter;
import com.soportemax.transcripts.internal.TranscriptPage;
import com.soportemax.transcripts.internal.TranscriptSearch;
import com.soportemax.transcripts.internal.Transcripts;
import jakarta.validation.Valid;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.UUID;

/** The admins' transcript pages: the searchable list and the review of one conversation. */
@Controller
@RequestMapping("/admin/transcripts")
class TranscriptsController {

    static final String LIST = "transcripts/list";
    static final String DETAIL = "transcripts/detail";
    static final String LABEL_STATUS = "transcripts/detail :: labelStatus";
    static final String REVIEW_STATUS = "transcripts/detail :: reviewStatus";

    private final TranscriptSearch search;
    private final Transcripts transcripts;
    private final TranscriptAccess access;
    private final TranscriptLinks links;

    TranscriptsController(TranscriptSearch search, Transcripts transcripts, TranscriptLinks links, TranscriptAccess access) {
        this.access = access;
        this.search = search;
        this.transcripts = transcripts;
        this.links = links;
    }

    @GetMapping
    String list(@Valid @ModelAttribute("filter") TranscriptFilter filter, BindingResult errors, Model model) {
        if (errors.hasErrors()) {
            model.addAttribute("problems", errors.getFieldErrors().stream()
                    .map(error -> error.getField() + ": " + (error.isBindingFailure() ? "invalid value" : error.getDefaultMessage()))
                    .toList());
            if (!(errors.getTarget() instanceof TranscriptFilter)) model.addAttribute("filter", TranscriptFilter.NONE);
            return LIST;
        }
        TranscriptPage page = search.search(filter);
        model.addAttribute("page", page);
        model.addAttribute("previousQuery", links.query(filter.onPage(Math.max(0, page.page() - 1))));
        model.addAttribute("nextQuery", links.query(filter.onPage(page.page() + 1)));
        return LIST;
    }

    /** The next conversation awaiting review (keyboard {@code n}); the pending list when none is left. */
    @GetMapping("/next")
    String nextPending(@RequestParam(required = false) UUID after) {
        return transcripts.nextPending(after).map(id -> "redirect:/admin/transcripts/" + id)
                .orElse("redirect:/admin/transcripts?review=PENDING");
    }

    @GetMapping("/{id}")
    String detail(@PathVariable UUID id, Model model, Authentication admin) {
        model.addAttribute("transcript", transcripts.detail(id));
        access.recordAdminRead(new ConversationId(id), admin.getName(), true);
        return DETAIL;
    }

    @PostMapping("/messages/{messageId}/label")
    String label(@PathVariable UUID messageId, @RequestParam String label,
                 @RequestParam(required = false) String correctedText, @RequestParam UUID conversationId,
                 @RequestHeader(name = "HX-Request", required = false) String htmx, Authentication who, Model model) {
        if (!label.matches("good|bad|unsafe")) {
            throw new IllegalArgumentException("label must be good, bad or unsafe");
        }
        model.addAttribute("label", transcripts.label(messageId, label, correctedText, who.getName()));
        return htmx != null ? LABEL_STATUS : "redirect:/admin/transcripts/" + conversationId + "#m-" + messageId;
    }

    @PostMapping("/{id}/{decision:approve|reject}")
    String decide(@PathVariable UUID id, @PathVariable String decision,
                  @RequestHeader(name = "HX-Request", required = false) String htmx, Authentication who, Model model) {
        model.addAttribute("review", transcripts.decide(id, "approve".equals(decision), who.getName()));
        return htmx != null ? REVIEW_STATUS : "redirect:/admin/transcripts/" + id;
    }
}
