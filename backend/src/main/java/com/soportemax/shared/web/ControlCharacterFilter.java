package com.soportemax.shared.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Query and form parameters get the same rule as JSON text ({@link PlainText}): a control character is a 400 that
 * names the parameter, instead of a database error further on.
 */
@Configuration(proxyBeanMethods = false)
class ControlCharacterFilter {

    @Bean
    FilterRegistrationBean<ParameterFilter> controlCharacterParameterFilter() {
        FilterRegistrationBean<ParameterFilter> registration = new FilterRegistrationBean<>(new ParameterFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
        return registration;
    }

    static final class ParameterFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String contentType = request.getContentType();
            boolean multipart = contentType != null && contentType.toLowerCase().startsWith("multipart/");
            if (!multipart) {
                for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
                    for (String value : parameter.getValue()) {
                        String problem = PlainText.controlCharacter(value);
                        if (problem != null) {
                            reject(response, parameter.getKey(), problem);
                            return;
                        }
                    }
                }
            }
            chain.doFilter(request, response);
        }

        private static void reject(HttpServletResponse response, String field, String problem) throws IOException {
            String safeField = field.replaceAll("[^A-Za-z0-9_.\\-\\[\\]]", "?");
            response.setStatus(400);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Invalid request\",\"status\":400,"
                    + "\"detail\":\"Parameter '" + safeField + "' " + problem + ".\",\"errors\":[{\"field\":\""
                    + safeField + "\",\"message\":\"" + problem + "\"}]}").getBytes(StandardCharsets.UTF_8));
        }
    }
}
