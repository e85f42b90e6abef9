package com.soportemax.dataset.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The JSON shapes of the export formats (field names as the fine-tuning tools read them). */
final class TrainingLines {

    private TrainingLines() {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Message(String role, String content, Integer weight) {
        static Message system(String content) {
            return new Message("system", content, null);
        }

        static Message user(String content) {
            return new Message("user", content, null);
        }

        static Message assistant(String content) {
            return new Message("assistant", content, null);
        }

        Message unweighted() {
            return new Message(role, content, null);
        }
    }

    record Sft(List<Message> messages) {
    }

    record OpenAiDpo(Input input, @JsonProperty("preferred_output") List<Message> preferredOutput,
                     @JsonProperty("non_preferred_output") List<Message> nonPreferredOutput) {
        record Input(List<Message> messages) {
        }
    }

    record TrlDpo(List<Message> prompt, List<Message> chosen, List<Message> rejected) {
    }

    record Kto(List<Message> prompt, List<Message> completion, boolean label) {
    }
}
