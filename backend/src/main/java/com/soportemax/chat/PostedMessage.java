package com.soportemax.chat;

import java.util.UUID;

/** A stored message's identity: its id and its sequence number within the conversation. */
public record PostedMessage(UUID messageId, long seq) {
}
