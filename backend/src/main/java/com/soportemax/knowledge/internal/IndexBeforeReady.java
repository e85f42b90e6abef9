package com.soportemax.knowledge.internal;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Builds the passages' lexical index and reads the Spanish thesaurus before the application reports itself ready
 * (Spring Boot marks readiness after the ready event's listeners return; the seed articles are in by then), not in
 * the first customer's question. Done there, the thesaurus alone (some 15,000 entries through the text analysis)
 * kept a virtual thread's carrier busy for seconds right after readiness, inside a read-only transaction, and on a
 * loaded machine requests waiting for a database connection meanwhile ran out of time (503).
 */
@Component
class IndexBeforeReady {

    private final PassageIndex passages;

    IndexBeforeReady(PassageIndex passages) {
        this.passages = passages;
    }

    @EventListener(ApplicationReadyEvent.class)
    void build() {
        passages.thesaurus();
        passages.current();
    }
}
