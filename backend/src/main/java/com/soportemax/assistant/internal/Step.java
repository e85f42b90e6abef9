package com.soportemax.assistant.internal;

import com.soportemax.knowledge.Passage;

import java.util.List;

/** What triage concludes: a {@link Decision}, or that the language model must write the answer first. */
sealed interface Step permits Decision, Step.Generate {

    /** Ask the model, showing it these passages (best first); the answer is then judged. */
    record Generate(List<Passage> passages) implements Step {
        public Generate {
            passages = List.copyOf(passages);
        }
    }
}
