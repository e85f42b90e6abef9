package com.soportemax.knowledge.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/**
 * One chunk of an article as stored for retrieval. It repeats the article's title and language because the passages
 * table derives its search columns (tsvector, trigram text) from its own row.
 */
@Embeddable
record ArticlePassage(
        @Column(name = "title", nullable = false) String title,
        @Column(name = "language", nullable = false) String language,
        @Column(name = "text", nullable = false) String text) {
}
