package com.soportemax.chat.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.util.List;

/**
 * Settings of the customer chat ({@code soportemax.chat.*}).
 *
 * @param messages          how many messages one conversation may post per period
 * @param conversations     how many conversations one IP address may start per period
 * @param messagesPerAddress how many messages one IP address may post per period, over all its conversations
 *                          (default 60 a minute)
 * @param heartbeat         how often an idle event stream gets a keep-alive comment (proxies drop silent ones)
 * @param streamTimeout     how long one event stream stays open; the widget reconnects with Last-Event-ID
 * @param streamsPerConversation open event streams allowed per conversation (reloads, tabs); the oldest is dropped
 * @param abandonedDraftAfter a bot message still unfinished after this long is withdrawn (the app was restarted
 *                          mid-answer, or the engine hung), so the widget stops showing the bot as writing
 * @param allowedOrigins    web sites that may embed the widget (CORS origin patterns); "*" allows any site, which
 *                          is safe because the widget authenticates with its bearer token, never with cookies
 */
@Validated
@ConfigurationProperties("soportemax.chat")
public record ChatSettings(
        @Valid @DefaultValue RateLimit messages,
        @Valid @DefaultValue RateLimit conversations,
        @Valid RateLimit messagesPerAddress,
        @NotNull @DefaultValue("15s") Duration heartbeat,
        @NotNull @DefaultValue("30m") Duration streamTimeout,
        @Min(1) @DefaultValue("5") int streamsPerConversation,
        @NotNull @DefaultValue("10m") Duration abandonedDraftAfter,
        @NotEmpty @DefaultValue("*") List<String> allowedOrigins) {

    public ChatSettings {
        if (messagesPerAddress == null) {
            messagesPerAddress = new RateLimit(60, Duration.ofMinutes(1));
        }
    }

    /** {@code capacity} requests, refilled evenly over {@code period}. */
    public record RateLimit(@Min(1) @DefaultValue("10") long capacity,
                            @NotNull @DefaultValue("1m") Duration period) {
    }
}
