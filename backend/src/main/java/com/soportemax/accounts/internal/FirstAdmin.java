package com.soportemax.accounts.internal;

import com.soportemax.accounts.StaffRole;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes sure someone can sign in: the configured admin is created if missing (an existing account keeps its
 * password); with none configured and no admin yet, one is created with a random password printed once.
 */
@Component
class FirstAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);
    static final String DEFAULT_EMAIL = "admin@soportemax.local";

    private final Accounts accounts;
    private final AdminSettings settings;

    FirstAdmin(Accounts accounts, AdminSettings settings) {
        this.accounts = accounts;
        this.settings = settings;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (settings.configured()) {
            if (!accounts.exists(settings.email())) {
                accounts.create(settings.email(), "Administrador", StaffRole.ADMIN, settings.password());
                log.info("Created the admin account {} from soportemax.admin.email", settings.email());
            }
            return;
        }
        if (accounts.hasAdmin()) {
            return;
        }
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        accounts.create(DEFAULT_EMAIL, "Administrador", StaffRole.ADMIN, password);
        log.warn("""

                Created the first admin account (shown only this once):
                    e-mail:   {}
                    password: {}
                Set SOPORTEMAX_ADMIN_EMAIL and SOPORTEMAX_ADMIN_PASSWORD to choose your own.""", DEFAULT_EMAIL, password);
    }
}
