package com.soportemax.accounts.internal;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.session.SessionRegistryImpl;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.savedrequest.CookieRequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.session.HttpSessionEventPublisher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.http.MediaType;

/**
 * Who may call what.
 * <ul>
 * <li>{@code /api/**} is stateless: HTTP Basic for staff, the conversation's bearer token for the widget (checked by
 * the chat module). It never reads nor creates a session, so a cross-site form that rides on a signed-in agent's
 * session cookie is simply unauthenticated there: no CSRF token is needed because no cookie is honoured.</li>
 * <li>Pages use a sign-in form and a session; every state-changing request needs the CSRF token (htmx sends it as a
 * header). The session cookie is {@code SameSite=Lax} and {@code Secure} behind TLS (application.yml); anonymous
 * visitors get no session (the CSRF token and the page to return to after sign-in live in cookies), and one
 * account holds at most {@code soportemax.security.sessions-per-account} sessions.</li>
 * <li>Sign-ins, form and Basic, are throttled (Spring Boot publishes their outcomes as events) per account and per address ({@link SignInThrottle}).</li>
 * <li>Every response carries a strict Content-Security-Policy (no inline scripts), Referrer-Policy,
 * Permissions-Policy and, over TLS, HSTS. The OpenAPI description and Swagger UI are for admins (HTTP Basic).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    private static final String[] PUBLIC_PAGES = {
            "/", "/demo", "/widget.js", "/widget/**", "/webjars/**", "/css/**", "/js/**", "/favicon.ico",
            "/actuator/health", "/actuator/health/**", "/login", "/error"};

    private static final String[] ADMIN_PAGES = {"/admin/**", "/actuator/**"};

    /** The API and its description: stateless, HTTP Basic or bearer tokens. */
    private static final String[] API = {
            "/api/**", "/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**"};

    @Bean
    PasswordEncoder passwordEncoder() {
        return new PasswordHashing();
    }

    /**
     * No observation per filter and per authorization decision on every request: Spring Security would wrap each of
     * its filters in one (the property {@code management.observations.enable.spring.security} only stops them being
     * recorded, not made), which JFR showed as a tenth of a widget request's CPU under load. The request as a whole
     * is still observed ({@code http.server.requests}), and so are sign-ins.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.withDefaults().shouldObserveRequests(false)
                .shouldObserveAuthorizations(false).build();
    }

    @Bean
    SessionRegistry sessionRegistry() {
        return new SessionRegistryImpl();
    }

    @Bean
    HttpSessionEventPublisher httpSessionEventPublisher() {
        return new HttpSessionEventPublisher();
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurity(HttpSecurity http, SignInThrottle throttle, SecuritySettings settings) throws Exception {
        return headers(http, settings)
                .securityMatcher(API)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/api/widget/**").permitAll()
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**")
                        .hasRole("ADMIN")
                        .requestMatchers("/api/admin/**").hasRole("ADMIN")
                        .requestMatchers("/api/agent/**").hasAnyRole("AGENT", "ADMIN")
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .addFilterBefore(new SignInThrottleFilter(throttle), BasicAuthenticationFilter.class)
                // The widget runs on customers' own sites; the chat module declares which origins may call it.
                .cors(Customizer.withDefaults())
                // No cookie is honoured on this chain (stateless), so there is nothing for a forged request to ride on.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(context -> context.requireExplicitSave(true))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain pageSecurity(HttpSecurity http, SignInThrottle throttle, SecuritySettings settings,
                                     SessionRegistry sessions, Accounts accounts) throws Exception {
        CookieCsrfTokenRepository csrfTokens = new CookieCsrfTokenRepository();
        csrfTokens.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
        CookieRequestCache requestCache = new CookieRequestCache();
        requestCache.setRequestMatcher(topLevelPageRequest());
        return headers(http, settings)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(PUBLIC_PAGES).permitAll()
                        .requestMatchers(ADMIN_PAGES).hasRole("ADMIN")
                        .requestMatchers("/agent/**").hasAnyRole("AGENT", "ADMIN")
                        .anyRequest().authenticated())
                // The product's own sign-in page (accounts/web/SignInController), Spanish or English.
                .formLogin(form -> form.loginPage("/login").permitAll())
                // Scripts may send Basic credentials to pages too (no session is made for them); anyone without
                // credentials is sent to the sign-in page.
                .httpBasic(Customizer.withDefaults())
                .exceptionHandling(errors -> errors.authenticationEntryPoint(
                        new org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint("/login")))
                .logout(Customizer.withDefaults())
                .addFilterBefore(new SignInThrottleFilter(throttle), UsernamePasswordAuthenticationFilter.class)
                // A disabled or deleted account's session ends (StaffAccessNotices expires it on every node, this checks
                // it again at each request); a new role applies from the next request.
                .addFilterBefore(new StaffSessionCheck(accounts), AnonymousAuthenticationFilter.class)
                .csrf(csrf -> csrf.csrfTokenRepository(csrfTokens))
                .requestCache(cache -> cache.requestCache(requestCache))
                .sessionManagement(session -> session
                        .sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED)
                        .maximumSessions(settings.sessionsPerAccount())
                        .sessionRegistry(sessions)
                        .expiredSessionStrategy(new ExpiredSessionRedirect()))
                .build();
    }

    /** Only a top-level page visit is worth returning to after sign-in: not htmx fragments, polls or assets. */
    private static RequestMatcher topLevelPageRequest() {
        MediaTypeRequestMatcher html = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
        html.setUseEquals(false);
        html.setIgnoredMediaTypes(java.util.Set.of(MediaType.ALL));
        return new AndRequestMatcher(
                PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.GET, "/**"),
                html,
                new NegatedRequestMatcher(new RequestHeaderRequestMatcher("HX-Request")),
                new NegatedRequestMatcher(new RequestHeaderRequestMatcher("Sec-Fetch-Dest", "empty")));
    }

    private static HttpSecurity headers(HttpSecurity http, SecuritySettings settings) throws Exception {
        return http.headers(headers -> headers
                .contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; "
                                + "form-action 'self'; frame-ancestors " + settings.frameAncestors() + "; "
                                + "img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'"))
                .referrerPolicy(referrer -> referrer.policy(
                        ReferrerPolicyHeaderWriter.ReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN))
                .permissionsPolicyHeader(permissions -> permissions.policy(
                        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"))
                .httpStrictTransportSecurity(hsts -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000))
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::sameOrigin));
    }
}
