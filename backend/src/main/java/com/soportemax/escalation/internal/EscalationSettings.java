package com.soportemax.escalation.internal;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

/**
 * Settings of the agents' desk ({@code soportemax.escalation.*}).
 *
 * @param sla            how long a customer should wait for an agent at most: a ticket turns amber at half of it and
 *                       red past it (default 2 min); also the expected handling time per waiting ticket
 * @param zone           the time zone of the business hours and of the times agents read
 * @param days           the days agents work (default Monday to Friday)
 * @param opens          when the agents' day begins (default 09:00)
 * @param closes         when it ends (default 18:00)
 * @param presenceTimeout an agent whose console has been gone this long counts as away
 * @param mailFrom       the sender of agents' answers by e-mail; e-mail is sent only when {@code spring.mail.host}
 *                       is set too
 * @param queuePageSize  how many tickets one page of the agents' queue shows (default 50; the API's {@code size}
 *                       chooses another, up to 200)
 */
@Validated
@ConfigurationProperties("soportemax.escalation")
public record EscalationSettings(
        @NotNull @DefaultValue("2m") Duration sla,
        @NotNull @DefaultValue("Europe/Madrid") ZoneId zone,
        @NotEmpty @DefaultValue({"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"}) Set<DayOfWeek> days,
        @NotNull @DefaultValue("09:00") LocalTime opens,
        @NotNull @DefaultValue("18:00") LocalTime closes,
        @NotNull @DefaultValue("90s") Duration presenceTimeout,
        @NotNull @DefaultValue("soporte@soportemax.local") String mailFrom,
        @Min(1) @Max(QueuePage.MAX_SIZE) @DefaultValue("50") int queuePageSize) {

    public EscalationSettings {
        if (opens != null && closes != null && !opens.isBefore(closes)) {
            throw new IllegalArgumentException("soportemax.escalation.opens (" + opens
                    + ") must be before soportemax.escalation.closes (" + closes + ").");
        }
    }
}
