package com.soportemax.knowledge;

import java.util.List;

/** Retrieval over the company's articles. */
public interface KnowledgeBase {

    /**
     * The passages most relevant to {@code query}, best first: full-text search (Spanish stemming, accents
     * ignored) combined with trigram similarity, so typos still find their article.
     *
     * @param locale "es" or "en"
     */
    List<Passage> search(String query, String locale, int limit);
}
