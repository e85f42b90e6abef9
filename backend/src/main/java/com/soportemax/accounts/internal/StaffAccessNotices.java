package com.soportemax.accounts.internal;

import com.soportemax.accounts.StaffAccessChanged;
import com.soportemax.shared.events.ClusterNotice;
import com.soportemax.shared.events.ClusterNoticeReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.stereotype.Component;

import java.security.Principal;
import java.util.Optional;

/**
 * A change to a staff account's access reaches every application node: the change raises a {@link ClusterNotice}
 * in its transaction; on each node, once it is committed, this expires the sessions of an account that may no longer
 * sign in, or whose password was changed (their next request goes to the sign-in page), and raises
 * {@link StaffAccessChanged} for the rest (the agents' live streams). {@link StaffSessionCheck} holds every session to the account's state at each request as
 * the backstop, for a node that missed the notice.
 */
@Component
class StaffAccessNotices {

    static final String TOPIC = "staff-access";
    /** A new password: sessions signed in with the old one end too (it may have leaked). */
    static final String PASSWORD_TOPIC = "staff-password";
    private static final Logger log = LoggerFactory.getLogger(StaffAccessNotices.class);

    private final UserAccountRepository accounts;
    private final SessionRegistry sessions;
    private final ApplicationEventPublisher events;

    StaffAccessNotices(UserAccountRepository accounts, SessionRegistry sessions, ApplicationEventPublisher events) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.events = events;
    }

    static ClusterNotice about(String email) {
        return new ClusterNotice(TOPIC, email);
    }

    static ClusterNotice newPassword(String email) {
        return new ClusterNotice(PASSWORD_TOPIC, email);
    }

    @EventListener
    void on(ClusterNoticeReceived notice) {
        if (!TOPIC.equals(notice.topic()) && !PASSWORD_TOPIC.equals(notice.topic())) {
            return;
        }
        String email = notice.subject();
        Optional<UserAccount> account = accounts.findByEmail(email);
        boolean enabled = account.map(UserAccount::isEnabled).orElse(false);
        if (!enabled || PASSWORD_TOPIC.equals(notice.topic())) {
            int expired = expireSessionsOf(email);
            if (expired > 0) {
                log.info("Ended {} session(s) of {}: {}", expired, email, account.isEmpty() ? "the account was deleted"
                        : !enabled ? "the account was disabled" : "its password was changed");
            }
        }
        events.publishEvent(new StaffAccessChanged(email, enabled, account.map(UserAccount::role).orElse(null)));
    }

    private int expireSessionsOf(String email) {
        int expired = 0;
        for (Object principal : sessions.getAllPrincipals()) {
            if (email.equalsIgnoreCase(nameOf(principal))) {
                for (SessionInformation session : sessions.getAllSessions(principal, false)) {
                    session.expireNow();
                    expired++;
                }
            }
        }
        return expired;
    }

    private static String nameOf(Object principal) {
        return switch (principal) {
            case UserDetails user -> user.getUsername();
            case Principal named -> named.getName();
            default -> String.valueOf(principal);
        };
    }
}
