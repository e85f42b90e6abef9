package com.soportemax.accounts.internal;

import com.soportemax.accounts.StaffMember;
import com.soportemax.accounts.StaffRole;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A staff member's login. The password is kept only as a bcrypt hash. */
@Entity
@Table(name = "users")
public class UserAccount {

    @Id
    private UUID id;

    @Column(nullable = false)
    private String email;

    @Column(name = "password_hash", nullable = false)
    private String passwordHash;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private StaffRole role;

    @Column(name = "display_name", nullable = false)
    private String displayName;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    protected UserAccount() {
    }

    UserAccount(String email, String passwordHash, StaffRole role, String displayName, Instant now) {
        this.id = UUID.randomUUID();
        this.email = email.strip().toLowerCase(java.util.Locale.ROOT);
        this.passwordHash = passwordHash;
        this.role = role;
        this.displayName = displayName.strip();
        this.enabled = true;
        this.createdAt = now;
    }

    public UUID id() {
        return id;
    }

    public String email() {
        return email;
    }

    String passwordHash() {
        return passwordHash;
    }

    public StaffRole role() {
        return role;
    }

    public String displayName() {
        return displayName;
    }

    boolean enabled() {
        return enabled;
    }

    public Instant createdAt() {
        return createdAt;
    }

    void disable() {
        enabled = false;
    }

    void enable() {
        enabled = true;
    }

    void changePassword(String newHash) {
        passwordHash = newHash;
    }

    void changeRole(StaffRole newRole) {
        role = newRole;
    }

    public boolean isEnabled() {
        return enabled;
    }

    StaffMember toStaffMember() {
        return new StaffMember(email, displayName, role);
    }
}
