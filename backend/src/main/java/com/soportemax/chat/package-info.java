/** Conversations, messages, the widget API and its event streams. */
@org.springframework.modulith.ApplicationModule(displayName = "Chat")
package com.soportemax.chat;
