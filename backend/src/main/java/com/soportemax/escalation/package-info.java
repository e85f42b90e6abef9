/** The agents' queue: conversations handed over by the bot, claimed and answered by people. */
@org.springframework.modulith.ApplicationModule(displayName = "Escalation")
package com.soportemax.escalation;
