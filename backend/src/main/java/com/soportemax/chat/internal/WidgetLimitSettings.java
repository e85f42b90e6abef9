package com.soportemax.chat.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * How much of the server one widget client may hold ({@code soportemax.chat.limits.*}).
 *
 * @param streamsPerAddress      open event streams from one client address (a household, an office)
 * @param streamsPerConversation open event streams with one conversation's token (tabs, reloads)
 * @param streamsTotal           open event streams in all; past it new ones get 503 and come back later
 * @param streamRetryAfter       what {@code Retry-After} a refused stream is told
 * @param escalations            customer requests for a person, per client address
 */
@Validated
@ConfigurationProperties("soportemax.chat.limits")
public record WidgetLimitSettings(
        @Min(1) @DefaultValue("30") int streamsPerAddress,
        @Min(1) @DefaultValue("10") int streamsPerConversation,
        @Min(1) @DefaultValue("4000") int streamsTotal,
        @NotNull @DefaultValue("10s") Duration streamRetryAfter,
        @Valid ChatSettings.RateLimit escalations) {

    public WidgetLimitSettings {
        if (escalations == null) {
            escalations = new ChatSettings.RateLimit(5, Duration.ofMinutes(10));
        }
    }
}
