package com.soportemax.accounts.internal;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Settings of staff sign-in and of the pages' security headers ({@code soportemax.security.*}).
 *
 * @param signIn            how failed sign-ins are throttled, per account and per client address
 * @param sessionsPerAccount signed-in sessions one staff account may hold at once (the oldest is ended)
 * @param frameAncestors    who may show SoporteMax's pages in a frame (CSP {@code frame-ancestors}); the widget
 *                          is a script on the customer's page, not a frame, so {@code 'self'} is enough by default
 */
@Validated
@ConfigurationProperties("soportemax.security")
public record SecuritySettings(
        @Valid @NotNull @DefaultValue SignIn signIn,
        @Min(1) @DefaultValue("5") int sessionsPerAccount,
        @NotBlank @DefaultValue("'self'") String frameAncestors) {

    /**
     * A key (an account, an address) may fail {@code freeFailures} times, a budget refilled over {@code refill};
     * past it, each further failure blocks the key for twice as long as the last, from {@code firstDelay} up to
     * {@code longestDelay}. A success clears the account's record.
     */
    public record SignIn(@Min(1) @DefaultValue("5") int accountFreeFailures,
                         @Min(1) @DefaultValue("20") int addressFreeFailures,
                         @NotNull @DefaultValue("15m") Duration refill,
                         @NotNull @DefaultValue("2s") Duration firstDelay,
                         @NotNull @DefaultValue("15m") Duration longestDelay) {
    }
}
