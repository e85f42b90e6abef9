package com.soportemax.knowledge;

import java.util.UUID;

/**
 * A chunk of a knowledge-base article found for a query.
 *
 * @param score relevance in [0, 1]: 1 is a near-certain match; the assistant's confidence uses it
 */
public record Passage(UUID articleId, String externalId, String title, String text, double score) {
}
