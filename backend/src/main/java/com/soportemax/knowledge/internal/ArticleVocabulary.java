package com.soportemax.knowledge.internal;

import com.soportemax.privacy.CompanyWords;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The privacy module's {@link CompanyWords}: the words the help centre's articles write in lower case, from the
 * knowledge index, looked at again at most every {@value #CHECK_SECONDS} seconds (a look is one query that tells
 * whether any article changed), so redacting a large export costs no query per word.
 */
@Component
class ArticleVocabulary implements CompanyWords {

    static final long CHECK_SECONDS = 30;

    private final PassageIndex index;
    private final Clock clock;
    private volatile Instant checked;

    ArticleVocabulary(PassageIndex index, ObjectProvider<Clock> clock) {
        this.index = index;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @Override
    public Set<String> writtenInLowerCase() {
        Instant now = clock.instant();
        if (checked == null || Duration.between(checked, now).getSeconds() >= CHECK_SECONDS) {
            checked = now;
            index.current();
        }
        return index.lowerCaseWords();
    }
}
