package com.soportemax.assistant.remote;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.Locale;

/**
 * The remote inference server in {@code /actuator/health} (as {@code remoteEngine}): the circuit breaker's state
 * and recent failure rate. Always UP: while the server is down the platform still serves customers (their
 * conversations go to agents), so this instance must stay in the load balancer; the details say what is wrong.
 */
class RemoteEngineHealth implements HealthIndicator {

    private final RemoteLanguageModel model;

    RemoteEngineHealth(RemoteLanguageModel model) {
        this.model = model;
    }

    @Override
    public Health health() {
        CircuitBreaker.State state = model.circuitState();
        var metrics = model.circuitMetrics();
        Health.Builder health = Health.up()
                .withDetail("server", model.baseUrl().toString())
                .withDetail("model", model.info().name())
                .withDetail("circuitBreaker", state.name())
                .withDetail("engine", state == CircuitBreaker.State.OPEN ? "down: conversations go to agents" : "up")
                .withDetail("failureRate", metrics.getFailureRate() < 0 ? "not enough calls yet"
                        : String.format(Locale.ROOT, "%.0f%%", metrics.getFailureRate()))
                .withDetail("calls", metrics.getNumberOfBufferedCalls());
        if (!model.notice().isEmpty()) health.withDetail("notice", model.notice());
        return health.build();
    }
}
