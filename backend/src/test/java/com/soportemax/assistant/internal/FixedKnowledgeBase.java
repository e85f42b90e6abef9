package com.soportemax.assistant.internal;

import com.soportemax.knowledge.KnowledgeBase;
import com.soportemax.knowledge.Passage;

import java.util.List;
import java.util.UUID;

/** A knowledge base whose search results the test sets. */
public class FixedKnowledgeBase implements KnowledgeBase {

    private volatile List<Passage> passages = List.of();
    private volatile String lastQuery;

    void returns(Passage... found) {
        passages = List.of(found);
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
