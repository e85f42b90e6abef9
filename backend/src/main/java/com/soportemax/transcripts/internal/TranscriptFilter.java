package com.soportemax.transcripts.internal;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.time.LocalDate;

/**
 * What admins search transcripts by. Every field is optional; dates are whole UTC days, both ends included.
 *
 * @param q          Spanish full-text search over every message (accents ignored, words stemmed)
 * @param outcome    RESOLVED_BY_BOT, ASSISTED, ESCALATED_UNANSWERED, ABANDONED or IN_PROGRESS
 * @param reason     the escalation reason (LOW_CONFIDENCE, NO_KNOWLEDGE...)
 * @param minConfidence lowest bot confidence in the conversation at least this
 * @param maxConfidence lowest bot confidence in the conversation at most this
 * @param label      conversations with at least one answer labelled so (good, bad, unsafe), or "none" for unlabelled
 * @param review     APPROVED, REJECTED or PENDING
 * @param sort       createdAt (default), lastMessageAt, confidence or rating
 */
public record TranscriptFilter(
        @Size(max = 200) String q,
        LocalDate from,
        LocalDate to,
        @Pattern(regexp = "RESOLVED_BY_BOT|ASSISTED|ESCALATED_UNANSWERED|ABANDONED|IN_PROGRESS",
                message = "must be RESOLVED_BY_BOT, ASSISTED, ESCALATED_UNANSWERED, ABANDONED or IN_PROGRESS") String outcome,
        Boolean escalated,
        @Pattern(regexp = "[A-Z_]{1,32}", message = "must be an escalation reason such as LOW_CONFIDENCE") String reason,
        @DecimalMin("0") @DecimalMax("1") Double minConfidence,
        @DecimalMin("0") @DecimalMax("1") Double maxConfidence,
        @Min(1) @Max(5) Integer rating,
        @Pattern(regexp = "good|bad|unsafe|none", message = "must be good, bad, unsafe or none") String label,
        @Size(max = 200) String agent,
        @Pattern(regexp = "es|en", message = "must be es or en") String language,
        @Pattern(regexp = "APPROVED|REJECTED|PENDING", message = "must be APPROVED, REJECTED or PENDING") String review,
        @Pattern(regexp = "createdAt|lastMessageAt|confidence|rating",
                message = "must be createdAt, lastMessageAt, confidence or rating") String sort,
        @Pattern(regexp = "asc|desc", message = "must be asc or desc") String direction,
        @Min(0) Integer page,
        @Min(1) @Max(200) Integer size) {

    // A form sends every field, the empty ones as "": they mean "any".
    public TranscriptFilter {
        q = blankToNull(q);
        outcome = blankToNull(outcome);
        reason = blankToNull(reason);
        label = blankToNull(label);
        agent = blankToNull(agent);
        language = blankToNull(language);
        review = blankToNull(review);
        sort = blankToNull(sort);
        direction = blankToNull(direction);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    public static final TranscriptFilter NONE = new TranscriptFilter(null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null, null);

    public int pageOrFirst() {
        return page == null ? 0 : page;
    }

    public int sizeOrDefault() {
        return size == null ? 25 : size;
    }

    public String sortOrDefault() {
        return sort == null || sort.isBlank() ? "createdAt" : sort;
    }

    public String directionOrDefault() {
        return direction == null || direction.isBlank() ? "desc" : direction;
    }

    /** The same filter on another page, for pagination links. */
    public TranscriptFilter onPage(int other) {
        return new TranscriptFilter(q, from, to, outcome, escalated, reason, minConfidence, maxConfidence, rating, label,
                agent, language, review, sort, direction, other, size);
    }
}
