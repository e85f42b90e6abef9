package com.soportemax.accounts;

/** What a staff member may do. Admins may also do everything agents do. */
public enum StaffRole { ADMIN, AGENT }
