package com.soportemax.widget;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Lets pages of the embedding sites call the widget API. The widget sends {@code Authorization} (its bearer token)
 * and {@code Last-Event-ID} (to resume the event stream), and reads {@code Retry-After} when told to slow down.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WidgetSettings.class)
class WidgetEmbedding implements WebMvcConfigurer {

    private final WidgetSettings settings;

    WidgetEmbedding(WidgetSettings settings) {
        this.settings = settings;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/api/widget/**")
                .allowedOriginPatterns(settings.allowedOrigins().toArray(String[]::new))
                .allowedMethods("GET", "POST")
                .allowedHeaders(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT, "Last-Event-ID")
                .exposedHeaders(HttpHeaders.RETRY_AFTER)
                .allowCredentials(false)
                .maxAge(3600);
    }
}
