package com.soportemax.accounts.internal;

import com.soportemax.accounts.StaffDirectory;
import com.soportemax.accounts.StaffMember;
import com.soportemax.accounts.StaffRole;
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

/** Staff accounts: sign-in, lookup, creation by an admin. */
@Service
public class Accounts implements StaffDirectory, UserDetailsService {

    private final UserAccountRepository repository;
    private final PasswordEncoder passwordEncoder;

    Accounts(UserAccountRepository repository, PasswordEncoder passwordEncoder) {
        this.repository = repository;
        this.passwordEncoder = passwordEncoder;
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

    /** @throws IllegalStateException when the e-mail address is taken */
    @Transactional
    public UserAccount create(String email, String displayName, StaffRole role, String rawPassword) {
        if (repository.findByEmail(email).isPresent()) {
            throw new IllegalStateException("There is already an account for " + email + ".");
        }
        PasswordPolicy.check(rawPassword);
        return repository.save(new UserAccount(email, passwordEncoder.encode(rawPassword), role, displayName,
                Instant.now().truncatedTo(ChronoUnit.MICROS)));
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
