package com.soportemax.accounts.internal;

import java.nio.charset.StandardCharsets;

/**
 * What a staff password must be: at least {@value #MIN_CHARACTERS} characters, and at most {@value #MAX_BYTES}
 * bytes in UTF-8, because bcrypt ignores everything after its 72nd byte (a longer password would silently match
 * any other with the same start).
 */
public final class PasswordPolicy {

    public static final int MIN_CHARACTERS = 12;
    public static final int MAX_BYTES = 72;

    private PasswordPolicy() {
    }

    /** Why this password is refused, or null when it is acceptable. */
    public static String problem(String password) {
        if (password == null || password.isBlank()) {
            return "must not be blank";
        }
        if (password.codePointCount(0, password.length()) < MIN_CHARACTERS) {
            return "must have at least " + MIN_CHARACTERS + " characters";
        }
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return "is " + bytes + " bytes long in UTF-8; at most " + MAX_BYTES
                    + " are allowed (bcrypt ignores the rest), choose a shorter one";
        }
        return null;
    }

    /** @throws IllegalArgumentException naming the problem */
    static void check(String password) {
        String problem = problem(password);
        if (problem != null) {
            throw new IllegalArgumentException("The password " + problem + ".");
        }
    }
}
