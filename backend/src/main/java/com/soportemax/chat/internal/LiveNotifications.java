package com.soportemax.chat.internal;

import com.soportemax.chat.ConversationId;
import com.soportemax.chat.LiveEvent;
import com.soportemax.chat.LiveFeed;
import com.soportemax.chat.LiveUpdate;
import com.soportemax.shared.events.ClusterNotice;
import com.soportemax.shared.events.ClusterNoticeReceived;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Live events across application nodes through PostgreSQL {@code LISTEN/NOTIFY}, no broker.
 *
 * <p>Sending: the one listener of every {@link LiveEvent} stores it in {@code live_events} and queues a
 * {@code NOTIFY} with its id, both inside the transaction that made the change: PostgreSQL delivers the notification
 * only when that transaction commits (and drops it on rollback), so no client hears of a change before a replay from
 * the database would show it, and a commit never goes unannounced. Bot deltas, written outside transactions, are
 * notified at once in pieces that fit PostgreSQL's payload limit.
 *
 * <p>{@link ClusterNotice}s (about no conversation, e.g. a staff account's access) travel on the same channel, not
 * stored, and arrive as {@link ClusterNoticeReceived}.
 *
 * <p>Receiving: a dedicated connection (not one of the pool's) listens; every notification becomes a local
 * {@link LiveUpdate} event for this node's open streams. The connection is re-opened when it breaks.
 */
@Component
class LiveNotifications implements SmartLifecycle, LiveFeed {

    static final String CHANNEL = "soportemax_live";
    /** PostgreSQL refuses payloads of 8000 bytes or more; a delta's text is cut into pieces well below. */
    private static final int MAX_DELTA_CHARS = 1500;
    private static final Logger log = LoggerFactory.getLogger(LiveNotifications.class);

    private final JdbcTemplate jdbc;
    private final JdbcConnectionDetails database;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final RowMapper<LiveUpdate> rowMapper = (rs, row) -> new LiveUpdate(rs.getLong("id"), rs.getString("kind"),
            new ConversationId(rs.getObject("conversation_id", UUID.class)), rs.getLong("seq"),
            rs.getObject("ticket_id", UUID.class), 0, null);

    private volatile boolean running;
    private volatile Connection connection;
    private Thread listener;

    LiveNotifications(JdbcTemplate jdbc, JdbcConnectionDetails database, ApplicationEventPublisher events,
                      JsonMapper json) {
        this.jdbc = jdbc;
        this.database = database;
        this.events = events;
        this.json = json;
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void announce(LiveEvent event) {
        Long id = jdbc.queryForObject("""
                insert into live_events (kind, conversation_id, seq, ticket_id) values (?, ?, ?, ?) returning id""",
                Long.class, event.kind(), event.conversationId().value(), event.seq(), event.ticketId());
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("k", event.kind());
        payload.put("c", event.conversationId().toString());
        payload.put("s", event.seq());
        if (event.ticketId() != null) {
            payload.put("t", event.ticketId().toString());
        }
        notify(payload);
    }

    /**
     * A notice for every node (not stored): queued in the transaction that raised it, so PostgreSQL delivers it only
     * once that commits; raised at once when there is no transaction.
     */
    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT, fallbackExecution = true)
    void announce(ClusterNotice notice) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", 0);
        payload.put("n", notice.topic());
        payload.put("x", notice.subject());
        notify(payload);
    }

    /** A piece of a bot message being written: {@code text} from character {@code offset}. Not stored. */
    void delta(ConversationId conversation, long seq, int offset, String text) {
        int start = 0;
        do {
            int end = Math.min(text.length(), start + MAX_DELTA_CHARS);
            if (end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("id", 0);
            payload.put("k", "delta");
            payload.put("c", conversation.toString());
            payload.put("s", seq);
            payload.put("o", offset + start);
            payload.put("x", text.substring(start, end));
            notify(payload);
            start = end;
        } while (start < text.length());
    }

    private void notify(Map<String, Object> payload) {
        jdbc.queryForList("select pg_notify(?, ?)", CHANNEL, json.writeValueAsString(payload));
    }

    @Override
    public List<LiveUpdate> after(long id, List<String> kinds, int max) {
        if (kinds.isEmpty()) {
            return jdbc.query("select * from live_events where id > ? order by id limit ?", rowMapper, id, max);
        }
        return jdbc.query("select * from live_events where id > ? and kind = any(?) order by id limit ?", rowMapper,
                id, kinds.toArray(String[]::new), max);
    }

    @Override
    public long latestId() {
        Long id = jdbc.queryForObject("select coalesce(max(id), 0) from live_events", Long.class);
        return id == null ? 0 : id;
    }

    @Scheduled(initialDelay = 60_000, fixedDelay = 3_600_000)
    void prune() {
        jdbc.update("delete from live_events where created_at < now() - interval '1 day'");
    }

    @Override
    public void start() {
        running = true;
        try {
            connection = listen();
        } catch (SQLException e) {
            log.warn("Could not listen for live events yet ({}); retrying in the background", e.getMessage());
        }
        listener = Thread.ofPlatform().daemon().name("live-events-listener").start(this::receive);
    }

    private Connection listen() throws SQLException {
        Connection opened = DriverManager.getConnection(database.getJdbcUrl(), database.getUsername(),
                database.getPassword());
        try (Statement statement = opened.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
        return opened;
    }

    private void receive() {
        Duration backoff = Duration.ofMillis(200);
        while (running) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = listen();
                    backoff = Duration.ofMillis(200);
                    log.info("Listening for live events again");
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(1000);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        dispatch(notification.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                log.warn("The live events connection failed ({}); reconnecting in {} ms", e.getMessage(),
                        backoff.toMillis());
                closeQuietly();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
            }
        }
    }

    private void dispatch(String payload) {
        try {
            JsonNode node = json.readTree(payload);
            if (node.hasNonNull("n")) {
                events.publishEvent(new ClusterNoticeReceived(node.get("n").asString(), node.path("x").asString()));
                return;
            }
            String ticket = node.hasNonNull("t") ? node.get("t").asString() : null;
            events.publishEvent(new LiveUpdate(node.path("id").asLong(), node.path("k").asString(),
                    ConversationId.parse(node.path("c").asString()), node.path("s").asLong(),
                    ticket == null ? null : UUID.fromString(ticket), node.path("o").asInt(),
                    node.hasNonNull("x") ? node.get("x").asString() : null));
        } catch (RuntimeException e) {
            // One stream's failure must not stop this node from hearing the next change.
            log.warn("Could not deliver live event {}", payload, e);
        }
    }

    private void closeQuietly() {
        Connection open = connection;
        connection = null;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // already broken
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        closeQuietly();
        if (listener != null) {
            listener.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // Listening before the web server accepts requests, and until it has stopped.
        return SmartLifecycle.DEFAULT_PHASE - 2048;
    }
}
