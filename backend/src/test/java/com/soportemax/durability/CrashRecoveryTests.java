package com.soportemax.durability;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The packaged application, as a separate process on its own embedded PostgreSQL, is killed ({@code kill -9})
 * twice and stopped (SIGTERM) once while 50 widget sessions each send 40 messages, retrying whatever failed; it is
 * restarted each time. Each customer has an address of their own (X-Forwarded-For, trusted from loopback) and asks
 * questions the seeded knowledge base answers; every tenth asks for a person twice, and whenever the bot hands a
 * conversation over, an agent (the test, through the agents' API) claims it and hands it back, so the bot answers
 * through the whole run. Afterwards every message is stored exactly once and in order, sequence numbers have no
 * gaps, and every message has exactly one outcome: the bot's reply, the bot's escalation, or, sent after a hand-over
 * and before the hand-back, a place in the agents' queue (never a bot reply then); the bot answered every session
 * after the restarts; the counts are printed. A stream resumed with Last-Event-ID after the restarts replays exactly
 * the messages stored since, in order.
 * Runs in the {@code crash-test} Maven profile (it needs the jar): {@code ./mvnw -B -Pcrash-test -pl backend -am verify -DskipTests}.
 */
class CrashRecoveryTests {

    private static final int SESSIONS = 50;
    private static final int MESSAGES = 40;
    /**
     * Bounds the whole run; on an idle 2-core machine it takes about three minutes, most of it four start-ups, and
     * about nine on one loaded by other builds. Every wait inside is bounded by it (start-ups also by 300 s each).
     */
    private static final Duration DEADLINE = Duration.ofMinutes(Long.getLong("soportemax.crash-test.minutes", 20));
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /**
     * Questions the seeded knowledge base answers (in retrieval-only mode each was answered with confidence 0.65 to
     * 0.92 when chosen), so the bot replies through the whole run instead of handing every conversation over.
     */
    private static final List<String> QUESTIONS = List.of(
            "¿Cuánto tarda el envío a Canarias?", "¿Qué garantía tienen los productos?", "¿Puedo pagar con PayPal?",
            "¿Cómo cambio la dirección de envío?", "¿Hacéis factura a empresas?", "¿Cuánto cuesta el envío?",
            "He olvidado mi contraseña, ¿cómo la restablezco?", "¿Cómo descargo la factura de mi pedido?",
            "¿Qué métodos de pago aceptáis?", "¿Cuánto tarda en llegar mi pedido?", "¿Hacéis envíos internacionales?",
            "¿Cuándo recibo el reembolso de una devolución?", "¿Puedo cambiar un producto por otra talla?",
            "¿Cómo solicito una reparación en garantía?", "¿Cuál es el horario de atención al cliente?",
            "¿Cómo me doy de baja de la newsletter?");
    /** Every tenth customer asks for a person twice; the agent (this test) hands the conversation back each time. */
    private static final String ASK_FOR_A_PERSON = "Quiero hablar con una persona, por favor";
    private static final String AGENT = "Basic " + java.util.Base64.getEncoder().encodeToString(
            "admin@crash.test:crash-test-password".getBytes(java.nio.charset.StandardCharsets.UTF_8));

    private final Path data = Path.of(System.getProperty("java.io.tmpdir"), "soportemax-crash-" + UUID.randomUUID());
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicInteger accepted = new AtomicInteger();
    /** 429 and 5xx answers the sessions retried, by status (connection failures while the jar is down aside). */
    private final Map<Integer, AtomicInteger> retriedStatuses = new ConcurrentHashMap<>();
    private Process app;
    private int port;
    /** What the run is doing, for a failure message that says where it stopped. */
    private volatile String phase = "starting";

    @AfterEach
    void stopApplication() throws Exception {
        if (app != null && app.isAlive()) {
            app.destroy();
            if (!app.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                app.destroyForcibly().waitFor();
            }
        }
    }

    @Test
    void everyAcceptedMessageIsStoredOnceInOrderAndAnsweredOnceAcrossKillsAndRestarts() throws Exception {
        Path jar = Path.of(System.getProperty("soportemax.jar", "target/soportemax.jar"));
        assumeTrue(Files.isRegularFile(jar), "the application jar is missing (run with -Pcrash-test after package): " + jar);
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        start(jar);
        phase = "sessions sending before the first kill";

        Map<Integer, Session> sessions = new ConcurrentHashMap<>();
        List<Future<?>> running = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int s = 0; s < SESSIONS; s++) {
                int number = s;
                running.add(pool.submit(() -> {
                    Session session = new Session(number);
                    sessions.put(number, session);
                    session.run(deadline);
                    return null;
                }));
            }
            int total = SESSIONS * MESSAGES;
            awaitAccepted(total * 15 / 100, deadline);
            phase = "first kill -9 and restart";
            app.destroyForcibly().waitFor();   // kill -9
            start(jar);
            awaitAccepted(total * 40 / 100, deadline);
            phase = "second kill -9 and restart";
            app.destroyForcibly().waitFor();   // kill -9
            start(jar);
            awaitAccepted(total * 65 / 100, deadline);
            phase = "SIGTERM and restart";
            app.destroy();                      // SIGTERM: graceful shutdown
            if (!app.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("The application did not stop within 60 s of SIGTERM (graceful shutdown is "
                        + "bounded by spring.lifecycle.timeout-per-shutdown-phase); see " + log());
            }
            start(jar);
            phase = "the sessions finishing their messages after the last restart";
            for (Future<?> session : running) {
                session.get();
            }
        }

        Outcomes outcomes = new Outcomes();
        int resumed = 0;
        try (Connection db = connect()) {
            for (Session session : sessions.values()) {
                account(db, session, outcomes);
                resumed += assertResumeReplaysWhatArrivedSince(db, session);
            }
        }
        System.out.printf("crash test: %d sessions, %d messages accepted and %d stored (each once, in order);"
                        + " %d answered by the bot, %d escalated by the bot, %d held for a person (sent after a"
                        + " hand-over, before the agent handed the conversation back); %d hand-overs, %d of them"
                        + " handed back before the customer's next message%n",
                sessions.size(), accepted.get(), outcomes.stored, outcomes.answered, outcomes.escalated,
                outcomes.heldForPerson, outcomes.handedOver, outcomes.handedBack);
        System.out.printf("crash test: answers retried by the sessions, by status: %s%n", retriedStatuses);
        System.out.printf("crash test: %d event streams resumed with Last-Event-ID after the restarts replayed exactly"
                + " the %d messages stored since, in order%n", sessions.size(), resumed);
        assertThat(outcomes.stored).as("every accepted message is stored").isEqualTo(accepted.get());
        assertThat(outcomes.answered + outcomes.escalated + outcomes.heldForPerson)
                .as("every stored message has exactly one outcome: a bot reply, an escalation or a place in the queue")
                .isEqualTo(outcomes.stored);
    }

    /**
     * A widget that last saw the session's first message reconnects (after the kills and restarts) with its
     * Last-Event-ID: it must get exactly the messages stored since, once each and in order, then ":replayed".
     *
     * @return how many messages the replay carried
     */
    private int assertResumeReplaysWhatArrivedSince(Connection db, Session session) throws Exception {
        long lastSeen;
        List<Long> expected = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("select seq from messages where conversation_id = ?"
                + " and seq > (select min(seq) from messages where conversation_id = ? and author = 'CUSTOMER')"
                + " and complete and not withdrawn order by seq")) {
            query.setObject(1, session.conversation);
            query.setObject(2, session.conversation);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    expected.add(rows.getLong(1));
                }
            }
        }
        try (PreparedStatement query = db.prepareStatement("select min(seq) from messages where conversation_id = ?"
                + " and author = 'CUSTOMER'")) {
            query.setObject(1, session.conversation);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                lastSeen = rows.getLong(1);
            }
        }
        HttpResponse<java.util.stream.Stream<String>> stream = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + port + "/api/widget/conversations/" + session.conversation + "/events"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + session.token).header("X-Forwarded-For", session.address())
                .header("Last-Event-ID", Long.toString(lastSeen)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).as("session %d: the stream reopens", session.number).isEqualTo(200);
        List<Long> replayed = new ArrayList<>();
        try (var lines = stream.body()) {
            String event = null;
            for (var line = lines.iterator(); line.hasNext(); ) {
                String text = line.next();
                if (text.startsWith(":replayed")) {
                    break;
                } else if (text.startsWith("event:")) {
                    event = text.substring(6).strip();
                } else if (text.startsWith("data:") && "message".equals(event)) {
                    replayed.add(JSON.readTree(text.substring(5)).path("seq").asLong());
                } else if (text.isEmpty()) {
                    event = null;
                }
            }
        }
        assertThat(replayed).as("session %d: resumed after seq %d, the replay is exactly what was stored since,"
                + " in order", session.number, lastSeen).containsExactlyElementsOf(expected);
        return replayed.size();
    }

    /** The decisions that are a reply of the bot's (an answer, a clarifying question, a reply to small talk). */
    private static final java.util.Set<String> BOT_REPLIES = java.util.Set.of("DELIVERED", "CLARIFIED", "SMALL_TALK");

    /** What became of the customers' messages, counted over all sessions. */
    private static final class Outcomes {
        int stored;
        int answered;
        int escalated;
        int heldForPerson;
        int handedOver;
        int handedBack;
    }

    /**
     * Checks one session's conversation as the customer and the agents would see it, and counts each customer
     * message's one outcome: the bot's reply (a complete, not withdrawn bot message after it, recorded as that
     * message's decision), the bot's escalation, or, once the conversation was handed over, a place in the agents'
     * queue (the conversation waits for a person under an open ticket; the bot must not answer it until an agent
     * hands it back, which the desk log records).
     */
    private static void account(Connection db, Session session, Outcomes outcomes) throws Exception {
        List<UUID> stored = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        Map<Long, java.time.OffsetDateTime> sentAt = new java.util.HashMap<>();
        try (PreparedStatement query = db.prepareStatement("select client_message_id, seq, created_at from messages"
                + " where conversation_id = ? and author = 'CUSTOMER' order by seq")) {
            query.setObject(1, session.conversation);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    stored.add(rows.getObject(1, UUID.class));
                    seqs.add(rows.getLong(2));
                    sentAt.put(rows.getLong(2), rows.getObject(3, java.time.OffsetDateTime.class));
                }
            }
        }
        List<java.time.OffsetDateTime> handBacks = new ArrayList<>();
        try (PreparedStatement query = db.prepareStatement("select created_at from desk_entries"
                + " where conversation_id = ? and kind = 'HANDED_BACK' order by created_at")) {
            query.setObject(1, session.conversation);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    handBacks.add(rows.getObject(1, java.time.OffsetDateTime.class));
                }
            }
        }
        assertThat(stored).as("session %d: every message exactly once, in the order sent", session.number)
                .containsExactlyElementsOf(session.sent);
        outcomes.stored += stored.size();
        try (PreparedStatement query = db.prepareStatement("select count(*), coalesce(max(seq), 0),"
                + " (select last_seq from conversations where id = ?) from messages where conversation_id = ?")) {
            query.setObject(1, session.conversation);
            query.setObject(2, session.conversation);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as("session %d: seqs without gaps", session.number).isEqualTo(rows.getLong(2));
                assertThat(rows.getLong(3)).isEqualTo(rows.getLong(2));
            }
        }
        // The decision recorded for each customer message (at most one: the table's key is the message).
        Map<Long, String> decisions = new java.util.HashMap<>();
        Map<Long, Long> replies = new java.util.HashMap<>();
        try (PreparedStatement query = db.prepareStatement("select a.customer_seq, a.outcome, a.bot_seq, m.complete"
                + " and not m.withdrawn from bot_answers a left join messages m on m.conversation_id = a.conversation_id"
                + " and m.seq = a.bot_seq where a.conversation_id = ?")) {
            query.setObject(1, session.conversation);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    decisions.put(rows.getLong(1), rows.getString(2));
                    if (BOT_REPLIES.contains(rows.getString(2))) {
                        assertThat(rows.getBoolean(4)).as("session %d: the bot's reply to message %d is stored,"
                                + " complete and shown", session.number, rows.getLong(1)).isTrue();
                        replies.put(rows.getLong(1), rows.getLong(3));
                    }
                }
            }
        }
        String state;
        int activeTickets;
        try (PreparedStatement query = db.prepareStatement("select c.state, (select count(*) from escalation_tickets t"
                + " where t.conversation_id = c.id and t.status <> 'RESOLVED') from conversations c where c.id = ?")) {
            query.setObject(1, session.conversation);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                state = rows.getString(1);
                activeTickets = rows.getInt(2);
            }
        }
        // Walks the messages in order: the bot answers until it hands the conversation over; messages sent then
        // wait for a person (no bot decision) until an agent hands the conversation back, after which the bot
        // decides again.
        java.time.OffsetDateTime handedOverAt = null;
        int answeredLastTen = 0;
        for (int n = 0; n < seqs.size(); n++) {
            long seq = seqs.get(n);
            String decision = decisions.get(seq);
            if (handedOverAt != null && decision != null) {
                java.time.OffsetDateTime since = handedOverAt;
                assertThat(handBacks).as("session %d: message %d has a bot decision after the hand-over: an agent"
                        + " handed the conversation back in between", session.number, seq)
                        .anyMatch(t -> t.isAfter(since) && !t.isAfter(sentAt.get(seq)));
                outcomes.handedBack++;
                handedOverAt = null;
            }
            if (handedOverAt != null) {
                outcomes.heldForPerson++;
            } else if (BOT_REPLIES.contains(decision)) {
                assertThat(replies.get(seq)).as("session %d: the reply follows message %d", session.number, seq)
                        .isGreaterThan(seq);
                outcomes.answered++;
                if (n >= seqs.size() - 10) answeredLastTen++;
            } else if ("ESCALATED".equals(decision)) {
                outcomes.escalated++;
                outcomes.handedOver++;
                handedOverAt = sentAt.get(seq);
            } else {
                throw new AssertionError("session " + session.number + ": message " + seq + " has no outcome ("
                        + decision + "): no bot reply, no escalation, and the conversation (state " + state
                        + ") had not been handed over");
            }
        }
        assertThat(answeredLastTen).as("session %d: the bot still answers at the end of the run, after the"
                + " restarts", session.number).isPositive();
        java.time.OffsetDateTime lastHandOver = handedOverAt;
        if (lastHandOver != null && handBacks.stream().noneMatch(t -> t.isAfter(lastHandOver))) {
            assertThat(state).as("session %d: handed over, it waits for a person", session.number)
                    .isIn("ESCALATED", "AGENT");
            assertThat(activeTickets).as("session %d: one ticket in the agents' queue", session.number).isEqualTo(1);
        } else {
            assertThat(state).as("session %d: the bot is in charge (never handed over, or handed back)",
                    session.number).isEqualTo("BOT");
            assertThat(activeTickets).as("session %d: no ticket left open", session.number).isZero();
        }
        try (PreparedStatement query = db.prepareStatement("select count(*) from messages m where m.conversation_id = ?"
                + " and m.author = 'BOT' and m.complete and not m.withdrawn and not exists (select 1 from bot_answers a"
                + " where a.conversation_id = m.conversation_id and a.bot_seq = m.seq"
                + " and a.outcome in ('DELIVERED', 'CLARIFIED', 'SMALL_TALK'))")) {
            query.setObject(1, session.conversation);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                assertThat(rows.getLong(1)).as("session %d: no bot reply without its decision (duplicates)",
                        session.number).isZero();
            }
        }
    }

    /** One customer: starts a conversation, then sends its messages one after another, each once its answer came. */
    private final class Session {
        final int number;
        final List<UUID> sent = new ArrayList<>();
        UUID conversation;
        String token;

        Session(int number) {
            this.number = number;
        }

        /**
         * Each customer has an address of their own, as the reverse proxy reports it (trusted from loopback): 50
         * customers behind one address would share one address's part of the answer queue and most would be told
         * the assistant is busy.
         */
        String address() {
            return "198.18.0." + (number + 1);
        }

        void run(long deadline) throws Exception {
            JsonNode started = retry(deadline, () -> request("POST", "/api/widget/conversations", "{\"locale\":\"es\"}", null,
                    address(), 201));
            conversation = UUID.fromString(started.path("conversationId").asString());
            token = started.path("token").asString();
            for (int i = 0; i < MESSAGES; i++) {
                UUID clientMessageId = UUID.randomUUID();
                String body = JSON.writeValueAsString(Map.of("clientMessageId", clientMessageId.toString(),
                        "text", question(i)));
                JsonNode posted = retry(deadline, () -> request("POST", "/api/widget/conversations/" + conversation
                        + "/messages", body, token, address(), 202));
                sent.add(clientMessageId);
                accepted.incrementAndGet();
                long seq = posted.path("seq").asLong();
                awaitAnswer(seq, deadline);
                handBackIfHandedOver(deadline);
            }
        }

        private String question(int i) {
            return number % 10 == 0 && (i == 12 || i == 30) ? ASK_FOR_A_PERSON
                    : QUESTIONS.get((number * 7 + i) % QUESTIONS.size());
        }

        /**
         * What an agent does with a conversation the bot handed over, so that the bot answers it again: claims its
         * ticket (the escalation module opens it after the hand-over commits) and hands it back.
         */
        private void handBackIfHandedOver(long deadline) throws Exception {
            while (true) {
                JsonNode page = retry(deadline, () -> request("GET", "/api/widget/conversations/" + conversation
                        + "/messages?after=" + Long.MAX_VALUE, null, token, address(), 200));
                switch (page.path("state").asString()) {
                    case "BOT" -> {
                        return;
                    }
                    case "ESCALATED" -> {
                        JsonNode queue = retry(deadline, () -> agent("GET", "/api/agent/queue?filter=unassigned&size=200"));
                        for (JsonNode ticket : queue) {
                            if (conversation.toString().equals(ticket.path("conversationId").asString())) {
                                retry(deadline, () -> agent("POST", "/api/agent/tickets/" + ticket.path("ticketId")
                                        .asString() + "/claim"));
                            }
                        }
                    }
                    case "AGENT" -> retry(deadline, () -> agent("POST", "/api/agent/conversations/" + conversation
                            + "/handback"));
                    default -> throw new AssertionError("session " + number + ": the conversation is "
                            + page.path("state").asString());
                }
                pause(deadline);
            }
        }

        /** Until a bot (or system) message follows {@code seq}, or the conversation left the bot. */
        private void awaitAnswer(long seq, long deadline) throws Exception {
            while (true) {
                JsonNode page = retry(deadline, () -> request("GET", "/api/widget/conversations/" + conversation
                        + "/messages?after=" + seq, null, token, address(), 200));
                if (!"BOT".equals(page.path("state").asString())) {
                    return;
                }
                for (JsonNode message : page.path("messages")) {
                    if (!"CUSTOMER".equals(message.path("role").asString()) && message.path("complete").asBoolean()) {
                        return;
                    }
                }
                pause(deadline);
            }
        }
    }

    private interface Call {
        JsonNode call() throws Exception;
    }

    private JsonNode retry(long deadline, Call call) throws Exception {
        while (true) {
            try {
                JsonNode answer = call.call();
                if (answer != null) {
                    return answer;
                }
            } catch (IOException e) {
                // the application is down or restarting: try again
            }
            pause(deadline);
        }
    }

    private void pause(long deadline) throws InterruptedException {
        if (System.nanoTime() > deadline) {
            throw new AssertionError("The crash test did not finish within " + DEADLINE + " (-Dsoportemax.crash-test.minutes):"
                    + " stopped during " + phase + " with " + accepted.get() + " of " + SESSIONS * MESSAGES
                    + " messages accepted; the application's log is " + log() + ", ending:\n" + logTail());
        }
        Thread.sleep(100);
    }

    private Path log() {
        return data.resolveSibling(data.getFileName() + ".log");
    }

    private String logTail() {
        try (var lines = Files.lines(log())) {
            List<String> all = lines.filter(line -> !line.startsWith("\tat ")).toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - 25), all.size()));
        } catch (IOException | java.io.UncheckedIOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** The JSON answer when the status is the expected one; null (retry) for 429 and 5xx. */
    private JsonNode request(String method, String path, String body, String token, String address, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("X-Forwarded-For", address)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == expected) {
            return JSON.readTree(response.body());
        }
        if (response.statusCode() == 429 || response.statusCode() >= 500) {
            retriedStatuses.computeIfAbsent(response.statusCode(), status -> new AtomicInteger()).incrementAndGet();
            return null;
        }
        throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
    }

    /**
     * A call of the agents' API as the admin (Basic, from loopback): its JSON, an empty object for 204 and 409 (the
     * ticket or conversation moved on meanwhile: the caller looks again), null (retry) for 429 and 5xx.
     */
    private JsonNode agent(String method, String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", AGENT).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return switch (response.statusCode()) {
            case 200 -> JSON.readTree(response.body());
            case 204, 409 -> JSON.createObjectNode();
            default -> {
                if (response.statusCode() == 429 || response.statusCode() >= 500) yield null;
                throw new AssertionError(method + " " + path + " answered " + response.statusCode() + ": "
                        + response.body());
            }
        };
    }

    private void awaitAccepted(int count, long deadline) throws InterruptedException {
        while (accepted.get() < count) {
            pause(deadline);
        }
    }

    private void start(Path jar) throws Exception {
        Path log = log();
        app = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-Xmx512m", "-XX:TieredStopAtLevel=1",
                // Class data of the first start is reused by the restarts: they are what the customers wait for.
                "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=" + data.resolveSibling(data.getFileName() + ".jsa"),
                "-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + port,
                "--soportemax.database.data-directory=" + data,
                "--soportemax.model=none",
                "--soportemax.admin.email=admin@crash.test", "--soportemax.admin.password=crash-test-password",
                "--soportemax.chat.messages.capacity=100000", "--soportemax.chat.messages-per-address.capacity=100000",
                "--soportemax.chat.conversations.capacity=100000",
                "--soportemax.chat.limits.escalations.capacity=100000")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long ready = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (true) {
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!app.isAlive()) {
                throw new AssertionError("The application exited with " + app.exitValue() + " during " + phase
                        + "; see " + log + ", ending:\n" + logTail());
            }
            if (System.nanoTime() > ready) {
                throw new AssertionError("The application was not ready within 300 s during " + phase + "; see " + log
                        + ", ending:\n" + logTail());
            }
            Thread.sleep(200);
        }
    }

    private Connection connect() throws Exception {
        Properties credentials = new Properties();
        try (Reader reader = Files.newBufferedReader(data.resolve("soportemax.credentials"))) {
            credentials.load(reader);
        }
        String url;
        try (var lines = Files.lines(data.resolve("postmaster.pid"))) {
            url = "jdbc:postgresql://127.0.0.1:" + lines.skip(3).findFirst().orElseThrow().strip() + "/soportemax";
        }
        Properties login = new Properties();
        login.setProperty("user", "soportemax");
        login.setProperty("password", credentials.getProperty("application.password"));
        return DriverManager.getConnection(url, login);
    }
}
