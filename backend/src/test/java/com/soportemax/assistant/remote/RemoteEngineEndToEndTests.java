package com.soportemax.assistant.remote;

import com.soportemax.MutableClock;
import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

/**
 * The whole platform in {@code remote} mode against our own {@code serve}, started in the test: answers stream to
 * the widget from the inference server, their confidence comes from its log-probabilities, and while the server
 * is down conversations go to agents and the health endpoint shows the open circuit.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "soportemax.inference.mode=remote",
        "soportemax.inference.model=" + ServedModel.NAME,
        "soportemax.inference.api-key=" + ServedModel.API_KEY,
        "soportemax.inference.attempts=1",
        "soportemax.inference.circuit-breaker.window=2",
        "soportemax.inference.circuit-breaker.minimum-calls=2",
        "soportemax.inference.circuit-breaker.open-for=30s",
        "soportemax.assistant.max-answer-tokens=24"})
@Import({TestDatabase.class, RemoteEngineEndToEndTests.TestClock.class})
class RemoteEngineEndToEndTests {

    static final String SHIPPING_QUESTION = "¿Cuánto tarda en llegar mi pedido?";
    static final ServedModel SERVED = new ServedModel();

    static class TestClock {
        @Bean
        MutableClock clock() {
            return new MutableClock();
        }
    }

    @DynamicPropertySource
    static void server(DynamicPropertyRegistry registry) {
        registry.add("soportemax.inference.base-url", () -> SERVED.baseUrl().toString());
    }

    @AfterAll
    static void stopServer() {
        SERVED.close();
    }

    @LocalServerPort int port;
    @Autowired JdbcTemplate jdbc;
    @Autowired MutableClock clock;
    @Autowired RemoteEngineHealth health;

    @Test
    void answersStreamToTheWidgetWithConfidenceFromTheServersLogprobsAndTheCircuitGuardsADownServer()
            throws IOException {
        var widget = new WidgetClient(port);

        // the server answers: tokens reach the widget as they come, the confidence is built from its logprobs
        var conversation = widget.start("es");
        try (var events = widget.events(conversation, null)) {
            events.awaitReplayed();
            widget.post(conversation, UUID.randomUUID(), SHIPPING_QUESTION);
            var delta = events.next("delta");
            assertThat(delta.data()).isNotBlank();
        }
        Map<String, Object> answer = await().atMost(Duration.ofSeconds(60)).until(() -> answerOf(conversation),
                a -> a != null);
        var served = SERVED.lastCompletion();
        assertThat(answer.get("mode")).isEqualTo("LLM");
        assertThat(answer.get("model_name")).isEqualTo(ServedModel.NAME);
        if (String.valueOf(answer.get("detail")).startsWith("stopped while writing")) {
            // The random-weight model's gibberish was stopped by the hold-back checks before it finished.
            assertThat(answer.get("mean_log_prob")).isNotNull();
        } else {
            assertThat((Double) answer.get("mean_log_prob")).isCloseTo(served.meanLogProb(), offset(1e-9));
            assertThat((Double) answer.get("min_token_prob")).isCloseTo(served.minTokenProb(), offset(1e-9));
        }
        assertThat(health.health().getDetails()).containsEntry("circuitBreaker", "CLOSED");

        // the server goes down: conversations go to agents, and after two failures the circuit opens
        SERVED.stop();
        for (int i = 0; i < 3; i++) {
            var down = widget.start("es");
            widget.post(down, UUID.randomUUID(), SHIPPING_QUESTION);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> widget.messages(down, 0).text("state"), "ESCALATED"::equals);
            assertThat(answerOf(down).get("escalation_reason")).isEqualTo("ENGINE_FAILURE");
        }
        assertThat(health.health().getDetails()).containsEntry("circuitBreaker", CircuitBreaker.State.OPEN.name())
                .containsEntry("engine", "down: conversations go to agents");
        assertThat((String) answerOfLast().get("detail")).contains("circuit breaker is open");

        // back up: once the open period has passed, a trial call goes through and the circuit closes
        SERVED.start();
        clock.advance(Duration.ofSeconds(31));
        var again = widget.start("es");
        widget.post(again, UUID.randomUUID(), SHIPPING_QUESTION);
        Map<String, Object> recovered = await().atMost(Duration.ofSeconds(60)).until(() -> answerOf(again),
                a -> a != null);
        assertThat(recovered.get("mean_log_prob")).isNotNull();
        // the answer's row can be committed a moment before the stream's end is recorded by the breaker
        await().atMost(Duration.ofSeconds(10))
                .until(() -> health.health().getDetails().get("circuitBreaker"), "CLOSED"::equals);
    }

    private Map<String, Object> answerOf(WidgetClient.Conversation conversation) {
        return jdbc.queryForList("select * from bot_answers where conversation_id = ?::uuid", conversation.id())
                .stream().findFirst().orElse(null);
    }

    private Map<String, Object> answerOfLast() {
        return jdbc.queryForList("select * from bot_answers order by created_at desc limit 1").getFirst();
    }
}
