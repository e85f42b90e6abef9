package com.soportemax.chat;

import java.time.Instant;
import java.util.List;

/**
 * What an agent sees about the customer of a conversation.
 *
 * @param locale       "es" or "en"
 * @param openedOnPage the page of the site the widget was opened on; null when unknown
 * @param contactEmail the address the customer left for an answer by e-mail; null when none
 * @param earlier      earlier conversations from the same browser, newest first
 */
public record CustomerContext(String locale, String openedOnPage, String contactEmail, Instant startedAt,
                              List<EarlierConversation> earlier) {

    public CustomerContext {
        earlier = List.copyOf(earlier);
    }

    /** An earlier conversation of the same browser. */
    public record EarlierConversation(ConversationId id, Instant startedAt, ConversationState state,
                                      String firstMessage) {
    }
}
