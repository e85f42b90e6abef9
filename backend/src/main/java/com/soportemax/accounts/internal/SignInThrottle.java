package com.soportemax.accounts.internal;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureServiceExceptionEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Brute-force protection for staff sign-in (form and HTTP Basic alike): failures are counted per account and per
 * client address; past a free budget (a Bucket4j bucket that refills slowly) the key is blocked with a back-off
 * that doubles at each further failure. A blocked attempt is refused before its password is checked, so a flood
 * costs no bcrypt work either.
 */
@Component
class SignInThrottle {

    private static final Logger log = LoggerFactory.getLogger(SignInThrottle.class);

    private final SecuritySettings.SignIn settings;
    private final Clock clock;
    private final TimeMeter time;
    private final ConcurrentMap<String, Failures> failures = new ConcurrentHashMap<>();

    SignInThrottle(SecuritySettings settings, ObjectProvider<Clock> clock) {
        this.settings = settings.signIn();
        this.clock = clock.getIfAvailable(Clock::systemUTC);
        this.time = new TimeMeter() {
            @Override
            public long currentTimeNanos() {
                Instant now = SignInThrottle.this.clock.instant();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano();
            }

            @Override
            public boolean isWallClockBased() {
                return true;
            }
        };
    }

    /** How long this attempt must wait before it may be tried; zero when it may be tried now. */
    Duration waitBefore(String address, String account) {
        Duration wait = remaining(addressKey(address));
        if (account != null) {
            Duration accountWait = remaining(accountKey(account));
            if (accountWait.compareTo(wait) > 0) {
                wait = accountWait;
            }
        }
        return wait;
    }

    void failed(String address, String account) {
        if (address != null) {
            record(addressKey(address), settings.addressFreeFailures());
        }
        if (account != null) {
            record(accountKey(account), settings.accountFreeFailures());
        }
    }

    void succeeded(String account) {
        failures.remove(accountKey(account));
    }

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        if (event instanceof AuthenticationFailureServiceExceptionEvent) {
            // The account could not be looked up (no database connection in time): not a wrong password.
            return;
        }
        String address = event.getAuthentication().getDetails() instanceof WebAuthenticationDetails details
                ? details.getRemoteAddress() : null;
        failed(address, event.getAuthentication().getName());
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        succeeded(event.getAuthentication().getName());
    }

    @Scheduled(fixedDelay = 300_000)
    void forgetOld() {
        Instant horizon = clock.instant().minus(settings.refill()).minus(settings.longestDelay());
        failures.values().removeIf(record -> record.lastFailure.isBefore(horizon));
    }

    private Duration remaining(String key) {
        Failures record = failures.get(key);
        if (record == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), record.blockedUntil);
        return left.isNegative() ? Duration.ZERO : left;
    }

    private void record(String key, int freeFailures) {
        Failures record = failures.computeIfAbsent(key, k -> new Failures(Bucket.builder()
                .addLimit(limit -> limit.capacity(freeFailures).refillGreedy(freeFailures, settings.refill()))
                .withCustomTimePrecision(time)
                .build()));
        synchronized (record) {
            Instant now = clock.instant();
            record.lastFailure = now;
            if (record.budget.tryConsume(1)) {
                return;
            }
            record.beyondBudget++;
            Duration delay = settings.firstDelay().multipliedBy(1L << Math.min(30, record.beyondBudget - 1));
            if (delay.compareTo(settings.longestDelay()) > 0) {
                delay = settings.longestDelay();
            }
            record.blockedUntil = now.plus(delay);
            if (record.beyondBudget == 1 || record.beyondBudget % 10 == 0) {
                log.warn("Staff sign-in throttled for {} after repeated failures: blocked for {}", key, delay);
            }
        }
    }

    private static String accountKey(String account) {
        return "account:" + account.strip().toLowerCase(Locale.ROOT);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static final class Failures {
        final Bucket budget;
        int beyondBudget;
        volatile Instant blockedUntil = Instant.MIN;
        volatile Instant lastFailure = Instant.MIN;

        Failures(Bucket budget) {
            this.budget = budget;
        }
    }
}
