package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.LiveEvent;

/** What conversations and their message log raise as they change; customers' widgets and agents follow them live. */
sealed interface ConversationChange extends LiveEvent {

    /** A message was stored complete, or a bot message was completed. */
    record MessageStored(ConversationId conversationId, long seq) implements ConversationChange {
        @Override
        public String kind() {
            return "message";
        }
    }

    /** The bot began writing message {@code seq}. */
    record BotWriting(ConversationId conversationId, long seq) implements ConversationChange {
        @Override
        public String kind() {
            return "writing";
        }
    }

    /** A bot message being written was withdrawn. */
    record BotDraftWithdrawn(ConversationId conversationId, long seq) implements ConversationChange {
        @Override
        public String kind() {
            return "retract";
        }
    }

    /** Who answers the conversation changed. */
    record StateChanged(ConversationId conversationId) implements ConversationChange {
        @Override
        public String kind() {
            return "state";
        }
    }
}
