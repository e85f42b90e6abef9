package com.soportemax.knowledge;

import java.util.List;

/** Retrieval over the company's articles. */
public interface KnowledgeBase {

    /**
     * The passages most relevant to {@code query}, best first: full-text search (Spanish stemming, accents
     * ignored) combined with trigram similarity, so typos still find their article.
     *
     * Each passage's {@link Passage#score() score} is the weighted share of the question's distinctive words it
     * contains, boosted when they are in the article's title or headings: 0 when nothing matches, typically above 0.5
     * for the passage that answers the question, below about 0.25 for a question the knowledge base does not cover.
     * At most two passages of one article are returned (setting {@code soportemax.knowledge.passages-per-article}).
     * With an embedding model ({@code soportemax.knowledge.embedding-model}) passages are also matched by meaning and
     * the two rankings fused (see {@link Retrieval.Scores}); without one the ranking is the lexical one alone.
     *
     * @param locale "es" or "en": the question's language; passages in the other language score a little lower
     * @param limit  at least 1; values above 50 are treated as 50
     */
    List<Passage> search(String query, String locale, int limit);

    /**
     * The passages for {@code query} with the features that tell how well they match (see {@link Retrieval}).
     * Implementations replace this default, which derives the features from {@link #search} alone.
     */
    default Retrieval retrieve(String query, String locale, int limit) {
        List<Passage> found = search(query, locale, limit);
        if (found.isEmpty()) return Retrieval.none(0);
        double top = found.getFirst().score();
        double second = found.stream().filter(p -> !p.articleId().equals(found.getFirst().articleId()))
                .mapToDouble(Passage::score).max().orElse(0);
        return new Retrieval(found, top, top - second, top, 1, false);
    }

    /**
     * The embedding model's vectors for {@code texts} (L2-normalised, so a dot product is a cosine; one per text, in
     * order), each embedded as a customer's question is. Empty when semantic retrieval has no model loaded (off,
     * still loading or unavailable): callers then compare texts some other way. Runs on the model instance that
     * embeds passages in the background, so it never delays a customer's question.
     */
    default List<float[]> embedQuestions(List<String> texts) {
        return List.of();
    }
}
