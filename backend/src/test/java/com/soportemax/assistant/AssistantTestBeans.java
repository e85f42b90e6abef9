package com.soportemax.assistant;

import com.soportemax.assistant.internal.FixedKnowledgeBase;
import com.soportemax.assistant.internal.RecordingBotReplies;


import org.springframework.context.annotation.Bean;

/**
 * The chat and knowledge contracts the assistant uses, played by the test. Plain classes brought in with
 * {@code @Import} (not {@code @TestConfiguration}: module tests scan this package and would pick those up in every
 * context).
 */
public class AssistantTestBeans {

    @Bean
    RecordingBotReplies botReplies() {
        return new RecordingBotReplies();
    }

    @Bean
    FixedKnowledgeBase knowledgeBase() {
        return new FixedKnowledgeBase();
    }

    /** Adds the scripted engine: the assistant then runs with a "loaded" language model. */
    public static class WithScriptedModel {
        @Bean
        ScriptedLanguageModel scriptedLanguageModel() {
            return new ScriptedLanguageModel();
        }
    }
}
