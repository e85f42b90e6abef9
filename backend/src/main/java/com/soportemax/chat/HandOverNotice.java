package com.soportemax.chat;

/**
 * What the customer is told when their conversation goes to the agents' queue: an agent is coming (and roughly
 * when), or nobody is there now and they may leave an e-mail address. Provided by the module that knows the agents;
 * without one, chat says an agent will join shortly.
 */
public interface HandOverNotice {

    /** The notice, in the customer's language ("es" or "en"). */
    Notice atHandOver(ConversationId conversation, String locale);

    /**
     * @param text       what the customer reads
     * @param offerEmail whether the widget offers to leave an e-mail address for the answer
     */
    record Notice(String text, boolean offerEmail) {
    }
}
