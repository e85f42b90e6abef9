package com.soportemax.assistant.remote;

import com.soportemax.inference.engine.EmbeddingModel;
import com.soportemax.inference.engine.LanguageModel;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

import java.time.Clock;

/**
 * {@code soportemax.inference.mode=remote}: the assistant's {@link LanguageModel} is a {@link RemoteLanguageModel}
 * (the assistant uses a language-model bean as it is, instead of loading {@code soportemax.model}); likewise
 * {@code soportemax.inference.embeddings.mode=remote} gives a {@link RemoteEmbeddingModel}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(InferenceSettings.class)
class RemoteEngineConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "soportemax.inference.mode", havingValue = "remote")
    RemoteLanguageModel remoteLanguageModel(InferenceSettings settings, JsonMapper json, ObjectProvider<Clock> clock) {
        return new RemoteLanguageModel(settings, json, clock.getIfUnique(Clock::systemUTC));
    }

    /** In {@code /actuator/health} as {@code remoteEngine}. */
    @Bean
    @ConditionalOnProperty(name = "soportemax.inference.mode", havingValue = "remote")
    RemoteEngineHealth remoteEngineHealthIndicator(RemoteLanguageModel model) {
        return new RemoteEngineHealth(model);
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnProperty(name = "soportemax.inference.embeddings.mode", havingValue = "remote")
    EmbeddingModel remoteEmbeddingModel(InferenceSettings settings, JsonMapper json) {
        return new RemoteEmbeddingModel(settings, json);
    }
}
