package com.soportemax.chat;

/** A knowledge-base article a bot answer was drawn from, as the customer sees it under the answer. */
public record SourceRef(String externalId, String title) {
}
