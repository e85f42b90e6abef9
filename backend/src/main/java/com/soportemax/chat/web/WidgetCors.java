package com.soportemax.chat.web;

import com.soportemax.chat.internal.ChatSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

/** The widget is embedded in other sites, so its API answers cross-origin calls (no cookies involved). */
@Configuration(proxyBeanMethods = false)
class WidgetCors implements WebMvcConfigurer {

    private final List<String> allowedOrigins;

    /** MVC test slices load this configurer without the settings beans: they get the default, any origin. */
    WidgetCors(ObjectProvider<ChatSettings> settings) {
        ChatSettings available = settings.getIfAvailable();
        this.allowedOrigins = available == null ? List.of("*") : available.allowedOrigins();
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        registry.addMapping("/api/widget/**")
                .allowedOriginPatterns(allowedOrigins.toArray(String[]::new))
                .allowedMethods("GET", "POST", "DELETE")
                .allowedHeaders(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE, "Last-Event-ID")
                .exposedHeaders(HttpHeaders.RETRY_AFTER, HttpHeaders.LOCATION)
                .allowCredentials(false)
                .maxAge(3600);
    }
}
