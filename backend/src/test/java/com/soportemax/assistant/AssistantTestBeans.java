package com.soportemax.assistant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** The chat and knowledge contracts the assistant uses, played by the test. */
@TestConfiguration(proxyBeanMethods = false)
class AssistantTestBeans {

    @Bean
    RecordingBotReplies botReplies() {
        return new RecordingBotReplies();
    }

    @Bean
    FixedKnowledgeBase knowledgeBase() {
        return new FixedKnowledgeBase();
    }

    /** Adds the scripted engine: the assistant then runs with a "loaded" language model. */
    @TestConfiguration(proxyBeanMethods = false)
    static class WithScriptedModel {
        @Bean
        ScriptedLanguageModel scriptedLanguageModel() {
            return new ScriptedLanguageModel();
        }
    }
}
