package com.soportemax;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Talks to the running application over real HTTP the way the widget and the agents' console do. */
public final class WidgetClient {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public WidgetClient(int port) {
        this.base = "http://localhost:" + port;
    }

    public record Reply(int status, JsonNode json, HttpResponse<String> raw) {
        public String text(String field) {
            return json.path(field).asString();
        }
    }

    /** A conversation started through the API, with its bearer token. */
    public record Conversation(String id, String token) {
        public String bearer() {
            return "Bearer " + token;
        }
    }

    public Conversation start(String locale) {
        Reply reply = send("POST", "/api/widget/conversations", locale == null ? null : "{\"locale\":\"" + locale + "\"}",
                null);
        if (reply.status() != 201) {
            throw new AssertionError("Could not start a conversation: " + reply.raw().body());
        }
        return new Conversation(reply.text("conversationId"), reply.text("token"));
    }

    public Reply post(Conversation conversation, UUID clientMessageId, String text) {
        return send("POST", "/api/widget/conversations/" + conversation.id() + "/messages",
                JSON.writeValueAsString(java.util.Map.of("clientMessageId", clientMessageId.toString(), "text", text)),
                conversation.bearer());
    }

    public Reply messages(Conversation conversation, long after) {
        return send("GET", "/api/widget/conversations/" + conversation.id() + "/messages?after=" + after, null,
                conversation.bearer());
    }

    public Reply escalate(Conversation conversation) {
        return send("POST", "/api/widget/conversations/" + conversation.id() + "/escalate", null, conversation.bearer());
    }

    /** A page as a browser asks for it (Accept: text/html...), redirects not followed. */
    public Reply page(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path))
                    .header("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), JSON.missingNode(), response);
        } catch (IOException e) {
            throw new AssertionError("GET " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Reply send(String method, String path, String jsonBody, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            JsonNode json = body == null || body.isBlank() || !response.headers().firstValue("Content-Type")
                    .orElse("").contains("json") ? JSON.missingNode() : JSON.readTree(body);
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /**
     * The whole agents' queue as {@code authorization} sees it: every page of {@code path} (e.g.
     * {@code /api/agent/queue?size=5}), following the {@code Link: <...>; rel="next"} headers.
     */
    public List<JsonNode> queue(String path, String authorization) {
        List<JsonNode> tickets = new ArrayList<>();
        String next = path;
        for (int pages = 0; next != null; pages++) {
            if (pages > 1000) {
                throw new AssertionError("The queue's pages never end: " + path);
            }
            Reply page = send("GET", next, null, authorization);
            if (page.status() != 200) {
                throw new AssertionError("GET " + next + " answered " + page.status() + ": " + page.raw().body());
            }
            page.json().forEach(tickets::add);
            next = page.raw().headers().firstValue("Link")
                    .map(link -> java.util.regex.Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(link))
                    .filter(java.util.regex.Matcher::find)
                    .map(matcher -> URI.create(matcher.group(1)))
                    .map(uri -> uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))
                    .orElse(null);
        }
        return tickets;
    }

    /** Every page of the agents' whole queue. */
    public List<JsonNode> queue(String authorization) {
        return queue("/api/agent/queue", authorization);
    }

    public static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One server-sent event; a comment line comes as name ":" with the comment as data. */
    public record Event(String id, String name, String data) {
        public JsonNode json() {
            return JSON.readTree(data);
        }
    }

    /** An open event stream; events are collected on a background thread. */
    public final class EventStream implements AutoCloseable {
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final InputStream body;
        private final java.util.concurrent.CompletableFuture<Void> ended = new java.util.concurrent.CompletableFuture<>();
        public final int status;

        public EventStream(HttpResponse<InputStream> response) {
            this.status = response.statusCode();
            this.body = response.body();
            Thread.ofVirtual().start(this::read);
        }

        private void read() {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                String name = "message";
                StringBuilder data = new StringBuilder();
                String line;
                while ((line = reader.readLine()) != null) {
                    if (line.isEmpty()) {
                        if (!data.isEmpty()) {
                            events.add(new Event(id, name, data.toString()));
                        }
                        id = null;
                        name = "message";
                        data.setLength(0);
                    } else if (line.startsWith(":")) {
                        events.add(new Event(null, ":", line.substring(1).strip()));
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("event:")) {
                        name = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        if (!data.isEmpty()) {
                            data.append('\n');
                        }
                        data.append(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
                    }
                }
            } catch (IOException e) {
                // closed by the test
            } finally {
                ended.complete(null);
            }
        }

        /** Completes when the stream has ended (the server closed it, or the test did). */
        public java.util.concurrent.CompletableFuture<Void> ended() {
            return ended;
        }

        /** The next event, or an AssertionError after 10 s. */
        public Event next() {
            try {
                Event event = events.poll(10, TimeUnit.SECONDS);
                if (event == null) {
                    throw new AssertionError("No server-sent event within 10 s");
                }
                return event;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** The next event with this name, skipping others. */
        public Event next(String name) {
            List<Event> skipped = new ArrayList<>();
            while (true) {
                Event event;
                try {
                    event = next();
                } catch (AssertionError e) {
                    throw new AssertionError("No '" + name + "' event; got " + skipped, e);
                }
                if (event.name().equals(name)) {
                    return event;
                }
                skipped.add(event);
            }
        }

        /** Waits until the server has replayed the stored messages; live events follow in order. */
        public void awaitReplayed() {
            while (true) {
                Event event = next();
                if (event.name().equals(":") && event.data().equals("replayed")) {
                    return;
                }
            }
        }

        /** Events arriving within {@code wait}. */
        public List<Event> drain(Duration wait) throws InterruptedException {
            List<Event> drained = new ArrayList<>();
            long deadline = System.nanoTime() + wait.toNanos();
            Event event;
            while ((event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null) {
                drained.add(event);
            }
            return drained;
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }

    /** A staff account created by the test admin, and its HTTP Basic credentials. */
    public record Staff(String email, String name, String basic) {
    }

    public static final String TEST_ADMIN = basic("admin@soportemax.test", "test-admin-password");
    public static final String STAFF_PASSWORD = "agent-password-long-1";

    public Staff newStaff(String name, String role) {
        String email = java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFD).replaceAll("\\p{M}", "")
                .toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + UUID.randomUUID() + "@soportemax.test";
        Reply created = send("POST", "/api/admin/users", """
                {"email":"%s","displayName":"%s","role":"%s","password":"%s"}""".formatted(email, name, role,
                STAFF_PASSWORD), TEST_ADMIN);
        if (created.status() != 201) {
            throw new AssertionError("Could not create " + name + ": " + created.raw().body());
        }
        return new Staff(email, name, basic(email, STAFF_PASSWORD));
    }

    /** Any server-sent event stream of the application, e.g. the agents' {@code /api/agent/events}. */
    public EventStream stream(String path, String authorization, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "text/event-stream");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new EventStream(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public EventStream events(Conversation conversation, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(base + "/api/widget/conversations/" + conversation.id() + "/events"))
                .header("Accept", "text/event-stream")
                .header("Authorization", conversation.bearer());
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new EventStream(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
