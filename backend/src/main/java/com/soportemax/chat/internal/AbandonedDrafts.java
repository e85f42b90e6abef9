package com.soportemax.chat.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.util.List;

/**
 * Bot messages nobody will finish: begun before a restart, or by an engine that hung. Withdrawn so the widget stops
 * showing the bot as writing; the customer's message itself is safe (stored, and its event is redelivered).
 */
@Component
class AbandonedDrafts {

    private static final Logger log = LoggerFactory.getLogger(AbandonedDrafts.class);

    private final MessageLog messages;
    private final ChatSettings settings;

    AbandonedDrafts(MessageLog messages, ChatSettings settings) {
        this.messages = messages;
        this.settings = settings;
    }

    @Scheduled(initialDelay = 10_000, fixedDelay = 60_000)
    @Transactional
    void withdraw() {
        List<MessageLog.Draft> drafts = messages.withdrawDraftsBegunBefore(
                Instant.now().minus(settings.abandonedDraftAfter()));
        for (MessageLog.Draft draft : drafts) {
            log.warn("Withdrew bot message {} of conversation {}: unfinished after {}", draft.seq(),
                    draft.conversation(), settings.abandonedDraftAfter());
        }
    }
}
