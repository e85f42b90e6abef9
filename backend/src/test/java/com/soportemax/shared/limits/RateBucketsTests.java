package com.soportemax.shared.limits;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RateBucketsTests {

    private final RateBuckets buckets = new RateBuckets();

    @Test
    void aKeyGetsItsCapacityThenWaitsForTheRefillWhileOtherKeysAreUntouched() {
        for (int i = 0; i < 3; i++) {
            assertThat(buckets.take("ip:203.0.113.7", 3, 3, Duration.ofMinutes(1))).isEmpty();
        }

        assertThat(buckets.take("ip:203.0.113.7", 3, 3, Duration.ofMinutes(1))).hasValueSatisfying(wait ->
                assertThat(wait).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1)));
        assertThat(buckets.take("ip:203.0.113.8", 3, 3, Duration.ofMinutes(1))).isEmpty();
    }

    @Test
    void forgettingIdleKeysDropsTheirBuckets() {
        buckets.take("conversation:a", 1, 1, Duration.ofHours(1));
        buckets.take("conversation:b", 1, 1, Duration.ofHours(1));

        buckets.forgetIdle(Duration.ofHours(1));
        assertThat(buckets.size()).as("used just now").isEqualTo(2);
        buckets.forgetIdle(Duration.ZERO);
        assertThat(buckets.size()).isZero();
        assertThat(buckets.take("conversation:a", 1, 1, Duration.ofHours(1))).as("a full bucket again").isEmpty();
    }
}
