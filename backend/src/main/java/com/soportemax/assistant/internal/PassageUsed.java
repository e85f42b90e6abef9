package com.soportemax.assistant.internal;

import com.soportemax.knowledge.Passage;

import java.util.UUID;

/**
 * A passage the assistant was given for an answer, as stored with the answer. The text is kept so that the answer's
 * prompt can be rendered again exactly (training datasets) whatever the article has become since.
 */
record PassageUsed(UUID articleId, String externalId, String title, double score, String text) {

    static PassageUsed of(Passage passage) {
        return new PassageUsed(passage.articleId(), passage.externalId(), passage.title(), passage.score(),
                passage.text());
    }
}
