package com.soportemax.retention.internal;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * {@code soportemax.retention.*}: how long conversations are kept.
 *
 * @param period how long after its last message a conversation is kept (default 365 days); 0 keeps them forever
 * @param mode   DELETE removes old conversations with everything about them; ANONYMISE keeps them for statistics and
 *               training with every piece of personal data replaced by placeholders and the widget token revoked
 * @param cron   when the daily job runs (server time)
 */
@Validated
@ConfigurationProperties("soportemax.retention")
public record RetentionSettings(@NotNull @DefaultValue("365d") Duration period,
                                @NotNull @DefaultValue("delete") Mode mode,
                                @NotNull @DefaultValue("0 30 3 * * *") String cron) {

    public enum Mode { DELETE, ANONYMISE }

    public RetentionSettings {
        if (period != null && period.isNegative()) {
            throw new IllegalArgumentException("soportemax.retention.period must not be negative");
        }
    }

    boolean keepsForever() {
        return period.isZero();
    }
}
