package com.soportemax.accounts.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * Refuses a sign-in attempt (a form POST to /login, or any request with HTTP Basic credentials) with 429 and
 * {@code Retry-After} while its account or address is blocked by {@link SignInThrottle}.
 */
final class SignInThrottleFilter extends OncePerRequestFilter {

    private final SignInThrottle throttle;

    SignInThrottleFilter(SignInThrottle throttle) {
        this.throttle = throttle;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String account = attemptedAccount(request);
        if (account != null) {
            Duration wait = throttle.waitBefore(request.getRemoteAddr(), account);
            if (!wait.isZero()) {
                long seconds = Math.max(1, wait.toSeconds() + (wait.toMillisPart() > 0 ? 1 : 0));
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                if (isSignInForm(request)) {
                    // A person at the sign-in form: a page in their language (templates/error/429.html), not JSON.
                    response.sendError(HttpStatus.TOO_MANY_REQUESTS.value());
                    return;
                }
                response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.getOutputStream().write(("{\"type\":\"about:blank\",\"title\":\"Too many sign-in attempts\","
                        + "\"status\":429,\"detail\":\"Too many failed sign-ins for this account or from this address;"
                        + " try again in " + seconds + " seconds.\"}").getBytes(StandardCharsets.UTF_8));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    private static boolean isSignInForm(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6))
                && HttpMethod.POST.matches(request.getMethod()) && "/login".equals(request.getServletPath());
    }

    /** The account a request tries to sign in as, or null when it is no sign-in attempt. */
    private static String attemptedAccount(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            try {
                String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                        StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? decoded : decoded.substring(0, colon);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        if (HttpMethod.POST.matches(request.getMethod()) && "/login".equals(request.getServletPath())) {
            String username = request.getParameter("username");
            return username == null ? "" : username;
        }
        return null;
    }
}
