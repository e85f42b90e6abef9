package com.soportemax.chat.web;

import com.soportemax.chat.internal.ChatSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

import java.util.List;

/**
 * The widget is embedded in other sites, so its API answers cross-origin calls (no cookies involved). The rules are
 * the {@code corsConfigurationSource} bean, which Spring Security's CORS filter applies to every {@code /api/**}
 * request (preflights included) before Spring MVC sees it. Declared as Spring MVC CORS mappings instead, the filter
 * would find each request's rules by looking its handler up a second time: a few percent of the CPU of a widget
 * message under load (JFR, load benchmark).
 */
@Configuration(proxyBeanMethods = false)
class WidgetCors {

    private final CorsConfiguration widget;

    /** Test slices load this configuration without the settings beans: they get the default, any origin. */
    WidgetCors(ObjectProvider<ChatSettings> settings) {
        ChatSettings available = settings.getIfAvailable();
        this.widget = widgetRules(available == null ? List.of("*") : available.allowedOrigins());
    }

    private static CorsConfiguration widgetRules(List<String> allowedOrigins) {
        CorsConfiguration rules = new CorsConfiguration();
        rules.setAllowedOriginPatterns(allowedOrigins);
        rules.setAllowedMethods(List.of("GET", "POST", "DELETE"));
        rules.setAllowedHeaders(List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Last-Event-ID"));
        rules.setExposedHeaders(List.of(HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION));
        rules.setAllowCredentials(false);
        rules.setMaxAge(3600L);
        return rules;
    }

    @Bean
    CorsConfigurationSource corsConfigurationSource() {
        UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
        source.registerCorsConfiguration("/api/widget/**", widget);
        return source;
    }
}
