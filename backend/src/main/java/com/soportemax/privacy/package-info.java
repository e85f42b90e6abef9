/**
 * Personal data: card numbers masked before a message is stored ({@link CardMask}), and everything a customer could be
 * identified by replaced with stable placeholders before a conversation leaves the platform ({@link Redactor}).
 * Plain values with no dependency on other modules, so every module may call them.
 */
@org.springframework.modulith.ApplicationModule(displayName = "Privacy")
package com.soportemax.privacy;
