package com.soportemax.shared.web;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Request body limits ({@code soportemax.http.*}), enforced before a body is parsed.
 *
 * @param widgetBody largest body of a widget or agent API call (a message is at most 4,000 characters)
 * @param apiBody    largest body of any other API call (knowledge imports)
 */
@Validated
@ConfigurationProperties("soportemax.http")
public record HttpLimitSettings(@NotNull @DefaultValue("64KB") DataSize widgetBody,
                                @NotNull @DefaultValue("20MB") DataSize apiBody) {
}
