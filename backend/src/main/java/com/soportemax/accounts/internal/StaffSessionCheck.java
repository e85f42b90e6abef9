package com.soportemax.accounts.internal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Holds a signed-in session to the account as it is now, on every request: a session of an account that was disabled
 * or deleted, or whose password was reset, ends there and then, so the request goes on as anonymous (sent to the
 * sign-in page); a changed role
 * replaces the session's authorities before anything is authorised. The backstop of {@link StaffAccessNotices},
 * which expires such sessions on every node as soon as the change is committed. The API chain needs no such check, as it
 * authenticates every request afresh.
 */
final class StaffSessionCheck extends OncePerRequestFilter {

    private final Accounts accounts;
    private final SecurityContextRepository contexts = new HttpSessionSecurityContextRepository();
    private final SecurityContextHolderStrategy holder = SecurityContextHolder.getContextHolderStrategy();

    StaffSessionCheck(Accounts accounts) {
        this.accounts = accounts;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication signedIn = holder.getContext().getAuthentication();
        if (signedIn != null && signedIn.isAuthenticated() && !(signedIn instanceof AnonymousAuthenticationToken)
                && fromSession(request)) {
            UserDetails now = current(signedIn.getName());
            if (now == null || !now.isEnabled() || passwordChanged(request, now)) {
                // Deleted, disabled or given another password: the session ends here, whether or not this node heard
                // of the change.
                holder.clearContext();
                HttpSession session = request.getSession(false);
                if (session != null) {
                    session.invalidate();
                }
            } else if (!names(now.getAuthorities()).equals(names(signedIn.getAuthorities()))) {
                UsernamePasswordAuthenticationToken updated = UsernamePasswordAuthenticationToken.authenticated(
                        now, null, now.getAuthorities());
                updated.setDetails(signedIn.getDetails());
                SecurityContext context = holder.createEmptyContext();
                context.setAuthentication(updated);
                holder.setContext(context);
                if (request.getSession(false) != null) {
                    contexts.saveContext(context, request, response);
                }
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * Whether the account's password changed since this session began: the session keeps a digest of the password
     * hash it first saw (on the request right after signing in), never the hash itself.
     */
    private static boolean passwordChanged(HttpServletRequest request, UserDetails now) {
        HttpSession session = request.getSession(false);
        if (session == null || now.getPassword() == null) return false;
        String digest = digest(now.getPassword());
        Object known = session.getAttribute(PASSWORD_DIGEST);
        if (known == null) {
            session.setAttribute(PASSWORD_DIGEST, digest);
            return false;
        }
        return !known.equals(digest);
    }

    static final String PASSWORD_DIGEST = StaffSessionCheck.class.getName() + ".password";

    private static String digest(String hash) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(hash.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** A sign-in kept in the session (form login); credentials sent with the request are checked by themselves. */
    private static boolean fromSession(HttpServletRequest request) {
        HttpSession session = request.getSession(false);
        return session != null
                && session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) != null;
    }

    private UserDetails current(String email) {
        try {
            return accounts.loadUserByUsername(email);
        } catch (UsernameNotFoundException gone) {
            return null;
        }
    }

    private static Set<String> names(java.util.Collection<? extends GrantedAuthority> authorities) {
        return authorities.stream().map(GrantedAuthority::getAuthority).collect(Collectors.toSet());
    }
}
