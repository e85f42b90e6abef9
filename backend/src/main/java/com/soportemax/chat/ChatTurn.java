package com.soportemax.chat;

/** One message of a conversation's history, for building the assistant's prompt. */
public record ChatTurn(Author author, String text) {
}
