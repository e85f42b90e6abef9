package com.soportemax.accounts;

/** A person who signs in to SoporteMax: an administrator or a support agent. */
public record StaffMember(String email, String displayName, StaffRole role) {
}
