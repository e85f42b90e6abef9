package com.soportemax.accounts;

/**
 * An admin disabled a staff account or changed its role: whatever the person holds open (a live stream, a session)
 * must stop or be re-checked now, not when it next expires.
 *
 * @param enabled whether the account may still sign in
 */
public record StaffAccessChanged(String email, boolean enabled, StaffRole role) {
}
