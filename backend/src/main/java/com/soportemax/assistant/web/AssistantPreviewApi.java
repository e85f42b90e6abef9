package com.soportemax.assistant.web;

import com.soportemax.assistant.internal.AnswerPreview;
import com.soportemax.assistant.internal.CuratedAnswers;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import java.security.Principal;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;

/** For admins: what the assistant would do with a message, and the curated answers (HTTP Basic, role ADMIN). */
@RestController
@RequestMapping("/api/admin/assistant")
class AssistantPreviewApi {

    /** A message to try, as a customer would send it. */
    record PreviewRequest(@NotBlank @Size(max = 4000) String text, @Pattern(regexp = "es|en") String locale) {
    }

    /** A curated answer: the question it answers, other ways customers ask it, the answer and its source. */
    record CuratedRequest(@NotBlank @Size(max = 500) String question, List<@NotBlank @Size(max = 500) String> examples,
                          @NotBlank @Size(max = 4000) String answer, @Size(max = 200) String sourceId,
                          @Size(max = 200) String sourceTitle) {
    }

    private final AnswerPreview preview;
    private final CuratedAnswers curated;

    AssistantPreviewApi(AnswerPreview preview, CuratedAnswers curated) {
        this.preview = preview;
        this.curated = curated;
    }

    @PostMapping("/preview")
    @Operation(summary = "Test the assistant", description = "The passages with their scores, the decision, the "
            + "calibrated confidence with its parts and why, for a message; nothing is stored or sent.")
    AnswerPreview.Preview preview(@RequestBody @Valid PreviewRequest request) {
        return preview.preview(request.text(), request.locale());
    }

    @GetMapping("/curated-answers")
    List<CuratedAnswers.CuratedAnswer> curatedAnswers() {
        return curated.all();
    }

    @PostMapping("/curated-answers")
    @ResponseStatus(HttpStatus.CREATED)
    CuratedAnswers.CuratedAnswer create(@RequestBody @Valid CuratedRequest request, Principal principal) {
        return curated.create(new CuratedAnswers.Draft(request.question(),
                request.examples() == null ? List.of() : request.examples(), request.answer(), request.sourceId(),
                request.sourceTitle()), principal == null ? "unknown" : principal.getName());
    }

    @DeleteMapping("/curated-answers/{id}")
    ResponseEntity<Void> delete(@PathVariable UUID id) {
        try {
            curated.delete(id);
            return ResponseEntity.noContent().build();
        } catch (NoSuchElementException e) {
            return ResponseEntity.notFound().build();
        }
    }
}
