package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * Retrieval over the passages table, in one SQL statement.
 * <p>
 * <b>Score.</b> The question is reduced to its {@linkplain QueryTerms terms}; the query language's stop words are
 * dropped. Each term gets an inverse-document-frequency weight {@code w = max(0.1, ln((N + 1) / (df + 0.5)))} over the
 * N passages ({@code df}: passages whose full-text vector holds the term), so a word found nowhere, such as a typo or
 * a topic the knowledge base does not cover, weighs most. A passage matches a term with
 * {@code m = 1} when its tsvector holds the term's stem (Spanish stemming with accents removed, or English for English
 * passages), otherwise with the trigram {@code word_similarity(term, passage)} when that reaches pg_trgm's
 * word-similarity threshold (0.6: "devolusion" finds "devolución" at about 0.7), else 0.
 * <pre>
 *   coverage = Σ w·m / Σ w                           share of the question's weighted words the passage answers
 *   density  = ts_rank_cd(vector, t1 | t2 | …, 32)   proximity and title weight of the exact matches, in [0, 1)
 *   score    = (0.8 · coverage + 0.2 · density) · (0.85 if the passage is not in the asked language, else 1)
 * </pre>
 * So a score is 0 when no word of the question matches, about 0.8–0.95 when every distinctive word is in the passage,
 * and drops with each distinctive word the passage lacks: a question about something else scores near 0 even when it
 * shares a common word or two with an article.
 */
@Service
class PassageSearch implements KnowledgeBase {

    static final int MAX_LIMIT = 50;
    /** Trigram similarity from which an unknown word of the question is taken for a known word of the articles. */
    static final double MIN_LIKENESS = 0.45;

    private static final String SEARCH = """
            with terms as (
                select term,
                       plainto_tsquery('spanish_unaccent', term) as q_es,
                       plainto_tsquery('english', term) as q_en
                from unnest(cast(? as text[])) as t(term)
            ),
            useful as (
                select * from terms where numnode(case when ? = 'en' then q_en else q_es end) > 0
            ),
            corpus as (
                select count(*) as passages from knowledge_passages
            ),
            known as (
                select u.*, exists (
                           select 1 from knowledge_passages p
                           where (p.language = 'es' and p.search_vector @@ u.q_es)
                              or (p.language = 'en' and p.search_vector @@ u.q_en)) as found
                from useful u
            ),
            expansions as (
                select term, term as word, 1.0 as likeness, q_es, q_en from known where found
                union all
                select k.term, w.word, w.likeness,
                       plainto_tsquery('spanish_unaccent', w.word), plainto_tsquery('english', w.word)
                from known k
                cross join lateral (
                    select word, similarity(k.term, word) as likeness
                    from knowledge_words
                    where word % k.term and similarity(k.term, word) >= ?
                    order by likeness desc, word
                    limit 3) w
                where not k.found
            ),
            counted as (
                select e.*, (
                           select count(*) from knowledge_passages p
                           where (p.language = 'es' and p.search_vector @@ e.q_es)
                              or (p.language = 'en' and p.search_vector @@ e.q_en)) as df
                from expansions e
                where numnode(e.q_es) > 0 or numnode(e.q_en) > 0
            ),
            weights as (
                select k.term,
                       greatest(0.1, ln((c.passages + 1.0) / (0.5 + coalesce((
                           select df from counted x where x.term = k.term
                           order by x.likeness desc, x.df desc limit 1), 0)))) as weight
                from known k cross join corpus c
            ),
            total as (
                select sum(weight) as weight from weights
            ),
            anything as (
                select coalesce(to_tsquery('spanish_unaccent', string_agg(word, ' | ')), ''::tsquery) as q_es,
                       coalesce(to_tsquery('english', string_agg(word, ' | ')), ''::tsquery) as q_en
                from counted
            ),
            matches as (
                select p.article_id, p.position, x.term,
                       max(sqrt(x.likeness)) as hit,
                       max(case when ts_filter(p.search_vector, '{a}')
                                     @@ (case p.language when 'en' then x.q_en else x.q_es end)
                                then sqrt(x.likeness) else 0 end) as title_hit
                from counted x
                join knowledge_passages p
                  on (p.language = 'es' and p.search_vector @@ x.q_es)
                  or (p.language = 'en' and p.search_vector @@ x.q_en)
                group by p.article_id, p.position, x.term
            ),
            covered as (
                select m.article_id, m.position,
                       sum(w.weight * m.hit) as covered, sum(w.weight * m.title_hit) as title_covered
                from matches m join weights w on w.term = m.term
                group by m.article_id, m.position
            ),
            scored as (
                select p.article_id, a.external_id, p.title, p.text, p.position,
                       (0.6 * c.covered / t.weight
                        + 0.25 * c.title_covered / t.weight
                        + 0.15 * ts_rank_cd(p.search_vector, case p.language when 'en' then y.q_en else y.q_es end, 32))
                       * (case when p.language = ? then 1.0 else 0.85 end) as score
                from covered c
                join knowledge_passages p on p.article_id = c.article_id and p.position = c.position
                join knowledge_articles a on a.id = p.article_id
                cross join total t
                cross join anything y
            ),
            ranked as (
                select s.*, row_number() over (partition by article_id order by score desc, position) as in_article
                from scored s
            )
            select article_id, external_id, title, text, least(1.0, score) as score
            from ranked
            where in_article <= ? and score > 0
            order by score desc, external_id, position
            limit ?
            """;

    private final JdbcTemplate jdbc;
    private final int passagesPerArticle;

    PassageSearch(JdbcTemplate jdbc, KnowledgeProperties properties) {
        this.jdbc = jdbc;
        this.passagesPerArticle = properties.passagesPerArticle();
    }

    @Override
    @Transactional(readOnly = true)
    public List<Passage> search(String query, String locale, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        List<String> terms = QueryTerms.of(query);
        if (terms.isEmpty()) {
            return List.of();
        }
        String language = locale != null && locale.toLowerCase(java.util.Locale.ROOT).startsWith("en") ? "en" : "es";
        return jdbc.query(SEARCH,
                (row, n) -> new Passage(row.getObject("article_id", UUID.class), row.getString("external_id"),
                        row.getString("title"), row.getString("text"), row.getDouble("score")),
                terms.toArray(String[]::new), language, MIN_LIKENESS, language, passagesPerArticle, limit);
    }
}
