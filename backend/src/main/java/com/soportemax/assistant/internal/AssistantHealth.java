package com.soportemax.assistant.internal;

import com.soportemax.assistant.AssistantEngine;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The assistant in {@code /actuator/health}: always UP (retrieval-only mode still serves customers, and a model
 * being downloaded must not take the instance out of the load balancer), with the mode and model as details.
 */
@Component
class AssistantHealth implements HealthIndicator {

    private final AssistantEngine engine;

    AssistantHealth(AssistantEngine engine) {
        this.engine = engine;
    }

    @Override
    public Health health() {
        AssistantEngine.Status status = engine.status();
        Health.Builder health = Health.up()
                .withDetail("mode", status.mode().name())
                .withDetail("model", status.modelReference())
                .withDetail("since", status.since().toString());
        status.info().ifPresent(info -> health.withDetail("architecture", info.architecture())
                .withDetail("parameters", info.parameterCount())
                .withDetail("contextLength", info.contextLength())
                .withDetail("quantization", info.quantization()));
        if (!status.notice().isEmpty()) health.withDetail("notice", status.notice());
        return health.build();
    }
}
