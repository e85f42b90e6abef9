package com.soportemax.assistant.internal;

import com.soportemax.chat.EscalationReason;
import com.soportemax.chat.SourceRef;
import com.soportemax.knowledge.Passage;

import java.util.List;

/**
 * What the assistant does with one customer message, computed from the inputs before anything is written; the
 * pipeline then applies it in one place.
 */
sealed interface Decision extends Step {

    ConfidenceScore confidence();

    /** Why, for agents and admins. */
    String detail();

    /** The passages the decision was made on, best first (stored with the answer). */
    List<Passage> passages();

    /** Send {@code text} with its sources. */
    record Deliver(String text, List<SourceRef> sources, BotAnswerRecord.Mode mode, ConfidenceScore confidence,
                   List<Passage> passages, String detail) implements Decision {
        public Deliver {
            sources = List.copyOf(sources);
            passages = List.copyOf(passages);
        }
    }

    /** Hand the conversation to a person, with the bot's draft for the agent. */
    record Escalate(EscalationReason reason, String detail, String draft, BotAnswerRecord.Mode mode,
                    ConfidenceScore confidence, List<Passage> passages) implements Decision {
        public Escalate {
            passages = List.copyOf(passages);
        }
    }

    /** Ask the customer one question to understand a message too vague to answer. */
    record Clarify(String question, String detail) implements Decision {
        @Override
        public ConfidenceScore confidence() {
            return ConfidenceScore.scripted();
        }

        @Override
        public List<Passage> passages() {
            return List.of();
        }
    }

    /** Reply to a greeting, thanks, a goodbye or an "ok". */
    record SmallTalk(String reply, String detail) implements Decision {
        @Override
        public ConfidenceScore confidence() {
            return ConfidenceScore.scripted();
        }

        @Override
        public List<Passage> passages() {
            return List.of();
        }
    }
}
