package com.soportemax.escalation.internal;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Knowledge-base articles as agents read them (read only), so that a source under an answer or a draft opens the
 * article itself: agents may not open the admins' knowledge pages.
 */
@Repository
public class ArticleShelf {

    /** An article as agents read it; {@code body} is Markdown. */
    public record Article(UUID id, String externalId, String title, String body, String language, Instant updatedAt) {
    }

    private final JdbcTemplate jdbc;

    ArticleShelf(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The article with this id, or else this external id (what a source under an answer names), or else, for
     * sources of articles without an external id, this exact title.
     */
    @Transactional(readOnly = true)
    public Optional<Article> find(String key, String title) {
        UUID id = null;
        try {
            id = UUID.fromString(key);
        } catch (IllegalArgumentException notAnId) {
            // an external id
        }
        return jdbc.query("""
                        select id, external_id, title, body, language, updated_at from knowledge_articles
                        where id = cast(? as uuid) or external_id = cast(? as text)
                           or (cast(? as text) is not null and title = cast(? as text))
                        order by (id = cast(? as uuid)) desc nulls last, (external_id = cast(? as text)) desc nulls last
                        limit 1""",
                (rs, row) -> new Article(rs.getObject("id", UUID.class), rs.getString("external_id"),
                        rs.getString("title"), rs.getString("body"), rs.getString("language"),
                        rs.getTimestamp("updated_at").toInstant()),
                id, key, title, title, id, key).stream().findFirst();
    }
}
