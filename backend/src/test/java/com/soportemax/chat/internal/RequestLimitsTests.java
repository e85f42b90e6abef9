package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationId;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestLimitsTests {

    private static final ChatSettings.RateLimit THREE_A_MINUTE = new ChatSettings.RateLimit(3, Duration.ofMinutes(1));

    private final RequestLimits limits = new RequestLimits(new ChatSettings(THREE_A_MINUTE, THREE_A_MINUTE,
            THREE_A_MINUTE, Duration.ofSeconds(15), Duration.ofMinutes(30), 5, Duration.ofMinutes(10), List.of("*")));

    @Test
    void oneAddressPostingInManyConversationsIsStoppedWithARetryAfter() {
        for (int i = 0; i < 3; i++) {
            limits.postMessageFrom("203.0.113.7");
        }

        assertThatThrownBy(() -> limits.postMessageFrom("203.0.113.7"))
                .isInstanceOfSatisfying(RequestLimits.TooManyRequestsException.class, e -> {
                    assertThat(e.getStatusCode().value()).isEqualTo(429);
                    assertThat(Long.parseLong(e.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isBetween(1L, 60L);
                    assertThat(e.getBody().getDetail()).contains("messages from your address");
                });
    }

    @Test
    void eachAddressAndConversationHasItsOwnBudget() {
        ConversationId first = ConversationId.random();
        for (int i = 0; i < 3; i++) {
            limits.postMessageFrom("203.0.113.7");
            limits.postMessage(first);
            limits.startConversation("203.0.113.7");
        }

        limits.postMessageFrom("198.51.100.2");
        limits.postMessage(ConversationId.random());
        limits.startConversation("198.51.100.2");
        assertThatThrownBy(() -> limits.postMessage(first)).isInstanceOf(RequestLimits.TooManyRequestsException.class);
        assertThatThrownBy(() -> limits.startConversation("203.0.113.7"))
                .isInstanceOf(RequestLimits.TooManyRequestsException.class);
    }

    @Test
    void settingsWithoutAnAddressLimitDefaultToSixtyAMinute() {
        ChatSettings settings = new ChatSettings(THREE_A_MINUTE, THREE_A_MINUTE, null, Duration.ofSeconds(15),
                Duration.ofMinutes(30), 5, Duration.ofMinutes(10), List.of("*"));

        assertThat(settings.messagesPerAddress().capacity()).isEqualTo(60);
        assertThat(settings.messagesPerAddress().period()).isEqualTo(Duration.ofMinutes(1));
    }
}
