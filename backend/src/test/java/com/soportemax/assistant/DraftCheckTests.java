package com.soportemax.assistant;

import com.soportemax.inference.engine.Completion;
import com.soportemax.inference.engine.StopReason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DraftCheckTests {

    static final String SOUND = "Los pedidos a la península llegan en 24 a 48 horas laborables; a Baleares, en 3 a 5 "
            + "días, y a Canarias, Ceuta y Melilla, en 5 a 8 días más el despacho de aduana.";

    @Test
    void letsASoundFinishedAnswerThrough() {
        assertThat(DraftCheck.problem(completion(StopReason.END_OF_GENERATION), SOUND)).isEmpty();
    }

    @Test
    void refusesAnAnswerCutOffByTheTokenLimit() {
        assertThat(DraftCheck.problem(completion(StopReason.MAX_TOKENS), SOUND))
                .hasValueSatisfying(p -> assertThat(p).contains("cut off").contains("MAX_TOKENS"));
    }

    @Test
    void refusesMalformedText() {
        assertThat(DraftCheck.problem(completion(StopReason.END_OF_GENERATION), "revisana\uFFFD favadpción\u001eenví"))
                .hasValueSatisfying(p -> assertThat(p).contains("malformed"));
    }

    @Test
    void refusesAnAnswerStuckInALoop() {
        String loop = "el pedido llega pronto ".repeat(8);

        assertThat(DraftCheck.problem(completion(StopReason.END_OF_GENERATION), loop))
                .hasValueSatisfying(p -> assertThat(p).contains("repeats itself"));
    }

    static Completion completion(StopReason stop) {
        return new Completion("", List.of(), 10, 40, -0.1, 0.5, stop, Duration.ofMillis(5), Duration.ofMillis(50));
    }
}
