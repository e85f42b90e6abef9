package com.soportemax.accounts.internal;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The first administrator ({@code soportemax.admin.*}, e.g. {@code SOPORTEMAX_ADMIN_EMAIL} and
 * {@code SOPORTEMAX_ADMIN_PASSWORD}). Without them, the first start creates an admin with a random password
 * and prints it once in the log.
 */
@Validated
@ConfigurationProperties("soportemax.admin")
public record AdminSettings(@Email String email, @Size(min = PasswordPolicy.MIN_CHARACTERS, message = "must have at least 12 characters") String password) {

    public AdminSettings {
        if ((email == null || email.isBlank()) != (password == null || password.isBlank())) {
            throw new IllegalArgumentException("Set both soportemax.admin.email and soportemax.admin.password "
                    + "(SOPORTEMAX_ADMIN_EMAIL / SOPORTEMAX_ADMIN_PASSWORD), or neither.");
        }
    }

    boolean configured() {
        return email != null && !email.isBlank();
    }
}
