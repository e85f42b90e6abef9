package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationId;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;

/**
 * A widget token stops working once its conversation has been idle for {@code soportemax.chat.token-lifetime}
 * (default 24 h): the next person at a shared computer does not find the previous customer's conversation.
 * The customer then simply starts a new one.
 */
@Component
public class TokenLifetime {

    private final JdbcTemplate jdbc;
    private final Duration lifetime;
    private final Clock clock;

    TokenLifetime(JdbcTemplate jdbc, @Value("${soportemax.chat.token-lifetime:24h}") Duration lifetime,
                  ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.lifetime = lifetime;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** Whether the conversation, just loaded, has been idle for longer than a token lives (no second query). */
    public boolean expired(Conversation conversation) {
        return conversation.lastActivity() != null
                && conversation.lastActivity().plus(lifetime).isBefore(clock.instant());
    }

    /** Whether the conversation has been idle for longer than a token lives. */
    public boolean expired(ConversationId conversation) {
        OffsetDateTime lastActivity = jdbc.queryForObject("select updated_at from conversations where id = ?",
                OffsetDateTime.class, conversation.value());
        return lastActivity != null && lastActivity.toInstant().plus(lifetime).isBefore(clock.instant());
    }
}
