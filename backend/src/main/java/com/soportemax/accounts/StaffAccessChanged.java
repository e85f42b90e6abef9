package com.soportemax.accounts;

/**
 * A staff account was disabled or enabled, its role changed, or it was deleted. Raised on every application node
 * (through PostgreSQL {@code NOTIFY}) once the change is committed, with the account as it is now: whatever the
 * person holds open on this node (a live stream, a session) must stop or be re-checked now, not when it next
 * expires. This node's sessions of an account that may no longer sign in have already been expired when it is raised.
 *
 * @param enabled whether the account may still sign in (false for a deleted one)
 * @param role    the account's role now; null when it was deleted
 */
public record StaffAccessChanged(String email, boolean enabled, StaffRole role) {

    public boolean deleted() {
        return role == null;
    }
}
