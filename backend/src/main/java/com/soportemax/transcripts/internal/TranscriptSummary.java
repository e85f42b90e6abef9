package com.soportemax.transcripts.internal;

import java.time.Instant;
import java.util.UUID;

/** One conversation in the transcript list. */
public record TranscriptSummary(UUID conversationId, Instant createdAt, Instant lastMessageAt, String language,
                                String state, String outcome, boolean escalated, String escalationReason,
                                Double minConfidence, Integer rating, String agent, String review, long messages,
                                long labels, String firstQuestion) {
}
