package com.soportemax.escalation.internal;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import org.springframework.beans.factory.ObjectProvider;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * Who is there to answer: the status each agent chose (online or away) and when their console was last connected
 * (kept fresh by the console's event stream on any node). Online means chosen ONLINE and seen recently.
 */
@Repository
public class AgentPresence {

    public enum Status { ONLINE, AWAY }

    private final JdbcTemplate jdbc;
    private final EscalationSettings settings;
    private final Clock clock;

    AgentPresence(JdbcTemplate jdbc, EscalationSettings settings, ObjectProvider<Clock> clock) {
        this.jdbc = jdbc;
        this.settings = settings;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    /** The agent's console is connected: online unless they chose to be away. */
    void seen(String agentEmail) {
        jdbc.update("""
                insert into agent_presence (agent_email, status, last_seen) values (?, 'ONLINE', ?)
                on conflict (agent_email) do update set last_seen = excluded.last_seen""",
                key(agentEmail), Timestamp.from(clock.instant()));
    }

    public void choose(String agentEmail, Status status) {
        jdbc.update("""
                insert into agent_presence (agent_email, status, last_seen) values (?, ?, ?)
                on conflict (agent_email) do update set status = excluded.status, last_seen = excluded.last_seen""",
                key(agentEmail), status.name(), Timestamp.from(clock.instant()));
    }

    public Status statusOf(String agentEmail) {
        return jdbc.query("select status, last_seen from agent_presence where agent_email = ?",
                        (rs, row) -> Status.valueOf(rs.getString("status")) == Status.ONLINE
                                && isRecent(rs.getTimestamp("last_seen").toInstant()) ? Status.ONLINE : Status.AWAY,
                        key(agentEmail))
                .stream().findFirst().orElse(Status.AWAY);
    }

    /** How many agents are online now. */
    public int online() {
        Integer count = jdbc.queryForObject("select count(*) from agent_presence where status = 'ONLINE' and last_seen >= ?",
                Integer.class, Timestamp.from(clock.instant().minus(settings.presenceTimeout())));
        return count == null ? 0 : count;
    }

    private boolean isRecent(Instant lastSeen) {
        return !lastSeen.isBefore(clock.instant().minus(settings.presenceTimeout()));
    }

    private static String key(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
