package com.soportemax.shared.limits;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Bucket4j token buckets by key (a client address, a conversation), in memory: each is made on its key's first use
 * and refilled greedily; a key left unused for a while is forgotten ({@link #forgetIdle}), as its bucket would be
 * full again anyway. Used by the request-rate filter and the widget's limits.
 */
public final class RateBuckets {

    private final ConcurrentMap<String, Tracked> buckets = new ConcurrentHashMap<>();

    /**
     * Takes one token from {@code key}'s bucket, made on first use with room for {@code capacity} tokens and
     * {@code refill} tokens more every {@code period}.
     *
     * @return empty when a token was taken; otherwise how long until one is back (for {@code Retry-After})
     */
    public Optional<Duration> take(String key, long capacity, long refill, Duration period) {
        Tracked tracked = buckets.computeIfAbsent(key, k -> new Tracked(Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(refill, period))
                .build()));
        tracked.lastUse = System.nanoTime();
        ConsumptionProbe probe = tracked.bucket.tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Forgets the keys unused for at least {@code idle} (a bucket refilled in that time is full again). */
    public void forgetIdle(Duration idle) {
        long now = System.nanoTime();
        buckets.values().removeIf(tracked -> now - tracked.lastUse >= idle.toNanos());
    }

    /** How many keys have a bucket now. */
    public int size() {
        return buckets.size();
    }

    private static final class Tracked {
        final Bucket bucket;
        volatile long lastUse;

        Tracked(Bucket bucket) {
            this.bucket = bucket;
        }
    }
}
