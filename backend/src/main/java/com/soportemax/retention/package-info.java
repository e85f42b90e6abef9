/**
 * Retention of conversations: a daily job (run by one node at a time) deletes or anonymises conversations older
 * than the retention period, and admins erase a customer's conversation on request (GDPR). Dataset exports already
 * made are files outside the database and are not affected.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Retention")
package com.soportemax.retention;
