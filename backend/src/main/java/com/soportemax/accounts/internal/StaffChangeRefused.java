package com.soportemax.accounts.internal;

/** An admin's change to a staff account that is refused; {@link #reason()} names why, for the pages' own words. */
public final class StaffChangeRefused extends IllegalStateException {

    public enum Reason { EMAIL_TAKEN, YOURSELF, LAST_ADMIN }

    private final Reason reason;

    StaffChangeRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
