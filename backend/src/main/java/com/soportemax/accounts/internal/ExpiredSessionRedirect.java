package com.soportemax.accounts.internal;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.session.SessionInformationExpiredEvent;
import org.springframework.security.web.session.SessionInformationExpiredStrategy;

import java.io.IOException;

/**
 * A session that was expired (the account was disabled or deleted, or it was one too many) has been signed out by
 * then; instead of the framework's English sentence, a page visit is sent to the same address again, where the
 * sign-in page takes over and remembers it; anything else goes to the sign-in page.
 */
final class ExpiredSessionRedirect implements SessionInformationExpiredStrategy {

    @Override
    public void onExpiredSessionDetected(SessionInformationExpiredEvent event) throws IOException {
        HttpServletRequest request = event.getRequest();
        String target = request.getContextPath() + "/login";
        String path = request.getRequestURI();
        // Never "//host/...": that would leave the site.
        if ("GET".equals(request.getMethod()) && path.startsWith("/") && !path.startsWith("//") && !path.contains("\\")) {
            target = path + (request.getQueryString() == null ? "" : "?" + request.getQueryString());
        }
        event.getResponse().sendRedirect(target);
    }
}
