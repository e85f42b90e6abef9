package com.soportemax.accounts.internal;

import com.soportemax.accounts.StaffDirectory;
import com.soportemax.accounts.StaffMember;
import com.soportemax.accounts.StaffRole;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Staff accounts: sign-in, lookup, creation by an admin. */
@Service
public class Accounts implements StaffDirectory, UserDetailsService {

    private final UserAccountRepository repository;
    private final PasswordEncoder passwordEncoder;
    private final ApplicationEventPublisher events;

    Accounts(UserAccountRepository repository, PasswordEncoder passwordEncoder, ApplicationEventPublisher events) {
        this.repository = repository;
        this.passwordEncoder = passwordEncoder;
        this.events = events;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String email) {
        UserAccount account = repository.findByEmail(email)
                .orElseThrow(() -> new UsernameNotFoundException("No staff account " + email));
        return User.withUsername(account.email())
                .password(account.passwordHash())
                .roles(account.role().name())
                .disabled(!account.enabled())
                .build();
    }

    @Override
    @Transactional(readOnly = true)
    public Optional<StaffMember> findByEmail(String email) {
        return repository.findByEmail(email).filter(UserAccount::enabled).map(UserAccount::toStaffMember);
    }

    @Override
    @Transactional(readOnly = true)
    public List<StaffMember> enabled() {
        return repository.findAllByOrderByCreatedAtAsc().stream().filter(UserAccount::enabled)
                .map(UserAccount::toStaffMember).toList();
    }

    /** @throws IllegalStateException when the e-mail address is taken */
    @Transactional
    public UserAccount create(String email, String displayName, StaffRole role, String rawPassword) {
        if (repository.findByEmail(email).isPresent()) {
            throw new StaffChangeRefused(StaffChangeRefused.Reason.EMAIL_TAKEN,
                    "There is already an account for " + email + ".");
        }
        PasswordPolicy.check(rawPassword);
        return repository.save(new UserAccount(email, passwordEncoder.encode(rawPassword), role, displayName,
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
    }

    /**
     * An admin enables or disables an account; a disabled account cannot sign in. Nobody disables themselves, so
     * there is always someone left to undo it.
     */
    @Transactional
    public UserAccount setEnabled(UUID id, boolean enabled, String byEmail) {
        UserAccount account = load(id);
        if (!enabled && account.email().equalsIgnoreCase(byEmail)) {
            throw new StaffChangeRefused(StaffChangeRefused.Reason.YOURSELF, "You cannot disable your own account.");
        }
        if (!enabled && account.role() == StaffRole.ADMIN && account.enabled() && enabledAdmins() <= 1) {
            throw lastAdmin();
        }
        if (enabled) {
            account.enable();
        } else {
            account.disable();
        }
        events.publishEvent(StaffAccessNotices.about(account.email()));
        return account;
    }

    /**
     * A new password; the sessions signed in with the old one end on every node.
     *
     * @throws IllegalArgumentException when the new password does not meet {@link PasswordPolicy}
     */
    @Transactional
    public UserAccount resetPassword(UUID id, String rawPassword) {
        PasswordPolicy.check(rawPassword);
        UserAccount account = load(id);
        account.changePassword(passwordEncoder.encode(rawPassword));
        events.publishEvent(StaffAccessNotices.newPassword(account.email()));
        return account;
    }

    /** Changes an account's role; the last enabled admin stays admin. */
    @Transactional
    public UserAccount changeRole(UUID id, StaffRole role) {
        UserAccount account = load(id);
        if (account.role() == StaffRole.ADMIN && role != StaffRole.ADMIN && account.enabled() && enabledAdmins() <= 1) {
            throw lastAdmin();
        }
        account.changeRole(role);
        events.publishEvent(StaffAccessNotices.about(account.email()));
        return account;
    }

    /**
     * An admin deletes an account: it can no longer sign in, its sessions and live streams end on every node. What
     * the person did stays in the transcripts under their name. Nobody deletes themselves or the last enabled admin.
     */
    @Transactional
    public void delete(UUID id, String byEmail) {
        UserAccount account = load(id);
        if (account.email().equalsIgnoreCase(byEmail)) {
            throw new StaffChangeRefused(StaffChangeRefused.Reason.YOURSELF, "You cannot delete your own account.");
        }
        if (account.role() == StaffRole.ADMIN && account.enabled() && enabledAdmins() <= 1) {
            throw lastAdmin();
        }
        repository.delete(account);
        events.publishEvent(StaffAccessNotices.about(account.email()));
    }

    private static StaffChangeRefused lastAdmin() {
        return new StaffChangeRefused(StaffChangeRefused.Reason.LAST_ADMIN,
                "This is the last enabled admin; make someone else admin first.");
    }

    private long enabledAdmins() {
        return repository.findAllByOrderByCreatedAtAsc().stream()
                .filter(account -> account.enabled() && account.role() == StaffRole.ADMIN).count();
    }

    private UserAccount load(UUID id) {
        return repository.findById(id).orElseThrow(() -> new java.util.NoSuchElementException("No staff account " + id));
    }

    @Transactional(readOnly = true)
    public List<UserAccount> all() {
        return repository.findAllByOrderByCreatedAtAsc();
    }

    @Transactional(readOnly = true)
    boolean hasAdmin() {
        return repository.existsByRole(StaffRole.ADMIN);
    }

    @Transactional(readOnly = true)
    boolean exists(String email) {
        return repository.findByEmail(email).isPresent();
    }
}
