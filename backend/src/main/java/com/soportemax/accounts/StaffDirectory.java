package com.soportemax.accounts;

import java.util.List;
import java.util.Optional;

/** Looks up staff members, e.g. the name a customer sees for the agent who signed in. */
public interface StaffDirectory {

    /** The enabled staff member with this e-mail address (case-insensitive). */
    Optional<StaffMember> findByEmail(String email);

    /** Every enabled staff member, e.g. to choose whom to transfer a conversation to. */
    List<StaffMember> enabled();
}
