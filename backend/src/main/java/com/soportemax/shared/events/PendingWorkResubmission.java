package com.soportemax.shared.events;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.modulith.events.EventPublication;
import org.springframework.modulith.events.IncompleteEventPublications;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;

/**
 * Pending work (an event publication, such as "answer this customer message") whose listener failed (the database
 * pool was exhausted, the application was stopping) is tried again, a few times, instead of waiting for the next
 * restart. Publications left processing by a killed instance are marked failed by Spring Modulith's staleness
 * monitor (application.yml) and so come back here too. The crash test (CrashRecoveryTests) found answers lost this way.
 */
@Component
class PendingWorkResubmission {

    private static final Logger log = LoggerFactory.getLogger(PendingWorkResubmission.class);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final int MAX_ATTEMPTS = 5;

    private final IncompleteEventPublications publications;
    private final Clock clock = Clock.systemUTC();

    PendingWorkResubmission(IncompleteEventPublications publications) {
        this.publications = publications;
    }

    @Scheduled(initialDelay = 30_000, fixedDelay = 30_000)
    void resubmitFailed() {
        try {
            publications.resubmitIncompletePublications(this::due);
        } catch (RuntimeException e) {
            log.warn("Could not resubmit pending work yet: {}", e.getMessage());
        }
    }

    private boolean due(EventPublication publication) {
        return publication.getStatus() == EventPublication.Status.FAILED
                && publication.getCompletionAttempts() < MAX_ATTEMPTS
                && publication.getPublicationDate().plus(SETTLE).isBefore(clock.instant());
    }
}
