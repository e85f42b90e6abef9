package com.soportemax.knowledge.internal;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The words the passages use (materialized view {@code knowledge_words}), from which retrieval picks the intended word
 * of a misspelt one. Refreshed concurrently, so searches keep reading the previous words until the article change
 * that refreshed it commits.
 */
@Component
class KnowledgeLexicon {

    private final JdbcTemplate jdbc;

    KnowledgeLexicon(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Call inside the transaction that changed passages, after flushing them. */
    void refresh() {
        jdbc.execute("refresh materialized view concurrently knowledge_words");
    }
}
