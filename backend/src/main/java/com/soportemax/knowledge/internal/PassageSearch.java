package com.soportemax.knowledge.internal;

import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.util.List;
import java.util.UUID;

/**
 * Retrieval over the passages table, in one SQL statement (about 10 ms for the seed knowledge base).
 * <p>
 * <b>Terms.</b> The question is reduced to its {@linkplain QueryTerms terms}, and the stop words of the question's
 * language are dropped. A term that occurs in some passage (same stem: Spanish stemming with accents removed for
 * Spanish passages, English for English ones) is searched as it is, with likeness 1. A term that occurs nowhere is
 * taken for a misspelling: it is replaced by up to three words of the passages ({@code knowledge_words}) whose trigram
 * similarity to it is at least {@value #MIN_LIKENESS} ("devolusion" becomes "devolucion" at 0.57, "rembolso"
 * "reembolso" at 0.73), each with that similarity as its likeness.
 * <p>
 * <b>Score.</b> Each term weighs {@code w = max(0.1, ln((N + 1) / (df + 0.5)))} over the N passages, df counting
 * the passages that hold it (or its best correction); a term with no match at all, the sign of a topic the knowledge
 * base does not cover, weighs most. For a passage, {@code hit} is √likeness of the term's best match in it (0 when it
 * lacks the term) and {@code titleHit} the same when the term is in the article's title, or half that when it is
 * only in one of the passage's headings:
 * <pre>
 *   coverage      = Σ w·hit / Σ w               share of the question's weighted words the passage contains
 *   titleCoverage = Σ w·titleHit / Σ w          the same for the title (headings count half)
 *   density       = ts_rank_cd(vector, all terms OR-ed, 32)   proximity and frequency of the matches, in [0, 1)
 *   score         = (0.6·coverage + 0.25·titleCoverage + 0.15·density) × (0.85 for a passage in the other language)
 * </pre>
 * So a score is 0 when no word of the question matches, and each distinctive word the passage lacks lowers it. On
 * the seed knowledge base the right article of 36 typical questions (typos, no accents) scores 0.51–0.98 (median
 * 0.89); questions about something else score 0–0.19. At most {@code passagesPerArticle} passages per article.
 */
@Service
class PassageSearch implements KnowledgeBase {

    /** Larger limits are cut to this: more passages than this never fit a prompt. */
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
                                then sqrt(x.likeness)
                                when ts_filter(p.search_vector, '{b}')
                                     @@ (case p.language when 'en' then x.q_en else x.q_es end)
                                then 0.5 * sqrt(x.likeness)
                                else 0 end) as title_hit
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
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, got " + limit);
        }
        List<String> terms = QueryTerms.of(query);
        if (terms.isEmpty()) {
            return List.of();
        }
        String language = locale != null && locale.toLowerCase(java.util.Locale.ROOT).startsWith("en") ? "en" : "es";
        return jdbc.query(SEARCH,
                (row, n) -> new Passage(row.getObject("article_id", UUID.class), row.getString("external_id"),
                        row.getString("title"), row.getString("text"), row.getDouble("score")),
                terms.toArray(String[]::new), language, MIN_LIKENESS, language, passagesPerArticle, Math.min(limit, MAX_LIMIT));
    }
}
