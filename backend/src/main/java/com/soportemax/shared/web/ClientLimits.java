package com.soportemax.shared.web;

import com.soportemax.shared.limits.RateBuckets;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.tomcat.autoconfigure.TomcatServerProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsConfigurationSource;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * What one client address may take of the server ({@link HttpLimitSettings}), refused in the cheapest place that
 * can see it: connections over the address's share are closed as Tomcat accepts them
 * ({@link ConnectionsPerAddressProtocol}); requests over its rate get 429 from the first servlet filter, before the
 * security filters, a session, a body or the database are touched. The trusted proxies' own address is exempt
 * (it carries every customer); behind them each customer's address, as the proxy reports it, is counted.
 */
@Configuration(proxyBeanMethods = false)
class ClientLimits {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> connectionsPerAddress(
            HttpLimitSettings settings, ObjectProvider<TomcatServerProperties> tomcat) {
        Predicate<String> trustedProxy = trustedProxies(tomcat);
        return factory -> {
            factory.setProtocol(ConnectionsPerAddressProtocol.class.getName());
            factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof ConnectionsPerAddressProtocol protocol) {
                    protocol.limit(settings.connectionsPerAddress(), trustedProxy);
                }
            });
        };
    }

    @Bean
    RequestRateFilter requestRateFilter(HttpLimitSettings settings, ObjectProvider<TomcatServerProperties> tomcat,
                                        @Qualifier("corsConfigurationSource") ObjectProvider<CorsConfigurationSource> cors) {
        return new RequestRateFilter(settings, trustedProxies(tomcat), cors);
    }

    @Bean
    FilterRegistrationBean<RequestRateFilter> requestRateFilterRegistration(RequestRateFilter filter) {
        FilterRegistrationBean<RequestRateFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    private static Predicate<String> trustedProxies(ObjectProvider<TomcatServerProperties> tomcat) {
        TomcatServerProperties properties = tomcat.getIfAvailable();
        String internalProxies = properties != null && properties.getRemoteip().getInternalProxies() != null
                ? properties.getRemoteip().getInternalProxies() : new RemoteIpValve().getInternalProxies();
        Pattern pattern = Pattern.compile(internalProxies);
        return address -> pattern.matcher(address).matches();
    }

    /** A token bucket per client address; an address over its rate is answered 429 with {@code Retry-After}. */
    static final class RequestRateFilter extends OncePerRequestFilter {

        private final HttpLimitSettings settings;
        private final Predicate<String> trustedProxy;
        private final RateBuckets buckets = new RateBuckets();
        private final ObjectProvider<CorsConfigurationSource> corsRules;

        RequestRateFilter(HttpLimitSettings settings, Predicate<String> trustedProxy,
                          ObjectProvider<CorsConfigurationSource> corsRules) {
            this.settings = settings;
            this.trustedProxy = trustedProxy;
            this.corsRules = corsRules;
        }

        /**
         * A refused cross-origin request (the widget on a customer's site) carries the CORS headers its route would
         * have had, so the widget can read the 429 and its {@code Retry-After} instead of seeing a network error.
         */
        private void allowCrossOrigin(HttpServletRequest request, HttpServletResponse response) {
            String origin = request.getHeader(HttpHeaders.ORIGIN);
            CorsConfigurationSource rules = origin == null ? null : corsRules.getIfAvailable();
            if (rules == null) return;
            CorsConfiguration cors;
            try {
                cors = rules.getCorsConfiguration(request);
            } catch (RuntimeException e) {
                return;
            }
            String allowed = cors == null ? null : cors.checkOrigin(origin);
            if (allowed == null) return;
            response.setHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, allowed);
            response.addHeader(HttpHeaders.VARY, HttpHeaders.ORIGIN);
            response.setHeader(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, HttpHeaders.RETRY_AFTER);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String address = request.getRemoteAddr();
            if (address == null || trustedProxy.test(address)) {
                chain.doFilter(request, response);
                return;
            }
            Optional<Duration> wait = buckets.take(address, settings.requestBurst(), settings.requestsPerSecond(),
                    Duration.ofSeconds(1));
            if (wait.isEmpty()) {
                chain.doFilter(request, response);
                return;
            }
            long retryAfter = Math.max(1, wait.get().toSeconds() + 1);
            response.setStatus(429);
            response.setHeader("Retry-After", Long.toString(retryAfter));
            allowCrossOrigin(request, response);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Too many requests\","
                    + "\"status\":429,\"detail\":\"Too many requests from your address; try again in " + retryAfter
                    + " seconds.\"}").getBytes(StandardCharsets.UTF_8));
        }

        /** An address idle this long has a full bucket again: its entry can go. */
        @Scheduled(fixedDelay = 60_000)
        void forgetIdle() {
            buckets.forgetIdle(Duration.ofSeconds(60));
        }
    }
}
