package com.soportemax.knowledge.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** An article as the admin API and pages show it. */
public record ArticleView(UUID id, String externalId, String title, String body, List<String> tags, String language,
                          Instant createdAt, Instant updatedAt, long version, int passageCount) {
}
