package com.soportemax.assistant.internal;

import com.soportemax.knowledge.Passage;

import java.util.UUID;

/** A passage the assistant was given for an answer, as stored with the answer. */
record PassageUsed(UUID articleId, String externalId, String title, double score) {

    static PassageUsed of(Passage passage) {
        return new PassageUsed(passage.articleId(), passage.externalId(), passage.title(), passage.score());
    }
}
