package com.soportemax.chat;

/** Who wrote a message. SYSTEM messages are notices (hand-over to an agent, agent joined...). */
public enum Author { CUSTOMER, BOT, AGENT, SYSTEM }
