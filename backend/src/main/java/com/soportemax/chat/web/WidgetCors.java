package com.soportemax.chat.web;

import com.soportemax.chat.internal.ChatSettings;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** The widget is embedded in other sites, so its API answers cross-origin calls (no cookies involved). */
@Configuration(proxyBeanMethods = false)
class WidgetCors implements WebMvcConfigurer {

    private final ChatSettings settings;

    WidgetCors(ChatSettings settings) {
        this.settings = settings;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/api/widget/**")
                .allowedOriginPatterns(settings.allowedOrigins().toArray(String[]::new))
                .allowedMethods("GET", "POST")
                .allowedHeaders(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Last-Event-ID")
                .exposedHeaders(HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION)
                .allowCredentials(false)
                .maxAge(3600);
    }
}
