package com.soportemax.widget;

import jakarta.validation.constraints.NotEmpty;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.util.List;

/**
 * How the widget may be embedded.
 *
 * @param allowedOrigins the sites (e.g. {@code https://www.example.com}) whose pages may call the widget API;
 *                       {@code *} allows any site. The API authenticates with the conversation's bearer token, never
 *                       with cookies, so allowing any site exposes no customer's conversation to another.
 */
@Validated
@ConfigurationProperties("soportemax.widget")
record WidgetSettings(@NotEmpty @DefaultValue("*") List<String> allowedOrigins) {

    WidgetSettings {
        allowedOrigins = List.copyOf(allowedOrigins);
        for (String origin : allowedOrigins) {
            if (origin.isBlank() || (!origin.equals("*") && !origin.matches("https?://[^/\\s]+"))) {
                throw new IllegalArgumentException("soportemax.widget.allowed-origins: '" + origin + "' is not an "
                        + "origin; write it as scheme://host[:port] (e.g. https://www.example.com) or * for any site");
            }
        }
    }
}
