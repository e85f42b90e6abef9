package com.soportemax.assistant.internal;

import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;
import com.soportemax.knowledge.Retrieval;

import java.util.List;
import java.util.UUID;

/** A knowledge base whose search results the test sets. */
public class FixedKnowledgeBase implements KnowledgeBase {

    private volatile List<Passage> passages = List.of();
    private volatile String lastQuery;
    private volatile Double coverage;

    void returns(Passage... found) {
        passages = List.of(found);
        coverage = null;
    }

    /** The passages, with the first holding {@code share} of the question's topic words. */
    void returnsCovering(double share, Passage... found) {
        passages = List.of(found);
        coverage = share;
    }

    @Override
    public Retrieval retrieve(String query, String locale, int limit) {
        Retrieval derived = KnowledgeBase.super.retrieve(query, locale, limit);
        Double share = coverage;
        if (share == null || derived.passages().isEmpty()) return derived;
        return new Retrieval(derived.passages(), derived.topScore(), derived.margin(), share, derived.topicWords(),
                derived.semantic(), derived.scores(), derived.agreement());
    }

    String lastQuery() {
        return lastQuery;
    }

    @Override
    public List<Passage> search(String query, String locale, int limit) {
        lastQuery = query;
        return passages.stream().limit(limit).toList();
    }

    static Passage passage(String externalId, String title, String text, double score) {
        return new Passage(UUID.nameUUIDFromBytes(externalId.getBytes()), externalId, title, text, score);
    }
}
