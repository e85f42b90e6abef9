package com.soportemax.chat;

import java.util.List;

/**
 * A finished bot answer as the customer sees it.
 *
 * @param confidence 0..1, shown to agents and admins, stored with the message
 */
public record BotAnswer(String text, double confidence, List<SourceRef> sources) {

    public BotAnswer {
        if (confidence < 0 || confidence > 1) throw new IllegalArgumentException("confidence must be in [0, 1]");
        sources = List.copyOf(sources);
    }
}
