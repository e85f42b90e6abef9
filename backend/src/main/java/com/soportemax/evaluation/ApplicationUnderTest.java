package com.soportemax.evaluation;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The real application started in this JVM on a fresh embedded PostgreSQL in a temporary folder (no seed articles,
 * rate limits lifted, an admin of its own), and the HTTP calls the benchmark makes to it: the admin import and
 * knowledge search APIs, and the widget API a customer's browser uses.
 */
final class ApplicationUnderTest implements AutoCloseable {

    private static final String ADMIN = "evaluation@soportemax.local";

    private final ConfigurableApplicationContext context;
    private final Path folder;
    private final String base;
    private final String adminAuthorization;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ApplicationUnderTest(ConfigurableApplicationContext context, Path folder, String password) {
        this.context = context;
        this.folder = folder;
        this.base = "http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port");
        this.adminAuthorization = "Basic " + Base64.getEncoder()
                .encodeToString((ADMIN + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * @param model    {@code none} for retrieval-only mode, or a model reference as {@code soportemax.model} takes
     * @param settings further application settings ({@code soportemax.knowledge.embedding-model}, say)
     */
    static ApplicationUnderTest start(Class<?> application, String model, Map<String, String> settings) {
        Path folder;
        try {
            folder = Files.createTempDirectory("soportemax-evaluation-");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create a temporary folder for the evaluation's database", e);
        }
        String password = UUID.randomUUID().toString();
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.root", "ERROR");
        properties.put("soportemax.database.data-directory", folder.resolve("postgres").toString());
        properties.put("soportemax.knowledge.seed-on-empty-database", "false");
        properties.put("soportemax.model", model);
        properties.put("soportemax.model-cache", folder.resolve("models").toString());
        // No embedding-model download unless asked (--set soportemax.knowledge.embedding-model=...).
        properties.put("soportemax.knowledge.embedding-model", "none");
        properties.put("soportemax.admin.email", ADMIN);
        properties.put("soportemax.admin.password", password);
        properties.put("soportemax.chat.conversations.capacity", "1000000");
        properties.put("soportemax.chat.messages-per-address.capacity", "1000000");
        properties.putAll(settings);
        deleteWhenTheDatabaseHasStopped(folder);
        // As arguments, which outrank every settings file (a test's config/application.yml included).
        String[] arguments = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(application).run(arguments);
        return new ApplicationUnderTest(context, folder, password);
    }

    /** Imports the articles through the admin API, as {@code {"externalId","title","body","tags","language"}}. */
    void importArticles(List<EvaluationSet.Article> articles) {
        List<Map<String, Object>> items = articles.stream().map(article -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("externalId", article.id());
            item.put("title", article.title());
            item.put("body", article.body());
            item.put("tags", article.tags());
            if (article.language() != null) item.put("language", article.language());
            return item;
        }).toList();
        HttpResponse<String> response = send("POST", "/api/admin/knowledge/import",
                EvaluationSet.JSON.writeValueAsString(items), adminAuthorization);
        if (response.statusCode() != 200) {
            throw new IllegalStateException("The application refused the knowledge base (HTTP "
                    + response.statusCode() + "): " + response.body());
        }
    }

    /** The assistant's mode once the model has loaded or given up: LLM or RETRIEVAL_ONLY. */
    String awaitAssistant(Duration bound) {
        Instant until = Instant.now().plus(bound);
        while (true) {
            JsonNode status = json(send("GET", "/api/admin/assistant/status", null, adminAuthorization));
            String mode = status.path("mode").asString("");
            if (!mode.equals("LOADING") || Instant.now().isAfter(until)) {
                return mode.isBlank() ? "unknown" : mode;
            }
            pause(Duration.ofMillis(500));
        }
    }

    /**
     * Semantic retrieval's state once the embedding model has loaded or given up and every passage has its vector:
     * OFF, READY or UNAVAILABLE (with the notice).
     */
    String awaitSemanticRetrieval(Duration bound) {
        Instant until = Instant.now().plus(bound);
        while (true) {
            JsonNode status = json(send("GET", "/api/admin/knowledge/semantic", null, adminAuthorization));
            String state = status.path("state").asString("");
            boolean settled = switch (state) {
                case "LOADING" -> false;
                case "READY" -> !status.path("running").asBoolean()
                        && status.path("embedded").asInt() == status.path("total").asInt();
                default -> true;
            };
            if (settled || Instant.now().isAfter(until)) {
                return state.equals("UNAVAILABLE") ? state + ": " + status.path("notice").asString("") : state;
            }
            pause(Duration.ofMillis(500));
        }
    }

    /** The articles retrieval ranks for a message, best first (distinct external ids). */
    List<String> rankedArticles(String query, String locale, int limit) {
        HttpResponse<String> response = send("GET", "/api/admin/knowledge/search?q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&locale=" + locale + "&limit=" + limit,
                null, adminAuthorization);
        JsonNode found = json(response);
        return found.valueStream().map(p -> p.path("externalId").asString("")).distinct().toList();
    }

    /** What the assistant did with a message sent in a fresh widget conversation. */
    record Reply(Kind kind, String citedArticle, Double confidence, String text, Duration took) {
        enum Kind { ANSWERED, ESCALATED, NO_REPLY }
    }

    /**
     * Starts a conversation in {@code locale}, sends {@code text}, and polls the messages API until a complete bot
     * message arrives or the conversation leaves the bot (escalated), for at most {@code bound}.
     */
    Reply ask(String text, String locale, Duration bound) {
        Instant started = Instant.now();
        JsonNode conversation = json(send("POST", "/api/widget/conversations",
                "{\"locale\":\"" + locale + "\"}", null));
        String id = conversation.path("conversationId").asString();
        String bearer = "Bearer " + conversation.path("token").asString();
        JsonNode posted = json(send("POST", "/api/widget/conversations/" + id + "/messages",
                EvaluationSet.JSON.writeValueAsString(Map.of("clientMessageId", UUID.randomUUID().toString(),
                        "text", text)), bearer));
        long after = posted.path("seq").asLong();
        Instant until = started.plus(bound);
        Duration wait = Duration.ofMillis(20);
        while (true) {
            JsonNode state = json(send("GET", "/api/widget/conversations/" + id + "/messages?after=" + after, null,
                    bearer));
            Duration took = Duration.between(started, Instant.now());
            if (!state.path("state").asString().equals("BOT")) {
                return new Reply(Reply.Kind.ESCALATED, null, null, "", took);
            }
            for (JsonNode message : state.path("messages")) {
                if (message.path("role").asString().equals("BOT") && message.path("complete").asBoolean()) {
                    JsonNode sources = message.path("sources");
                    String cited = sources.isEmpty() ? null : sources.get(0).path("externalId").asString(null);
                    JsonNode confidence = message.path("confidence");
                    return new Reply(Reply.Kind.ANSWERED, cited,
                            confidence.isNumber() ? confidence.asDouble() : null, message.path("text").asString(""),
                            took);
                }
            }
            if (Instant.now().isAfter(until)) {
                return new Reply(Reply.Kind.NO_REPLY, null, null, "", took);
            }
            pause(wait);
            wait = wait.multipliedBy(2).compareTo(Duration.ofMillis(250)) > 0 ? Duration.ofMillis(250)
                    : wait.multipliedBy(2);
        }
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) request.header("Content-Type", "application/json");
        if (authorization != null) request.header("Authorization", authorization);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("The application did not answer " + method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while calling " + method + " " + path, e);
        }
    }

    private static JsonNode json(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("HTTP " + response.statusCode() + " from "
                    + response.request().method() + " " + response.uri().getPath() + ": " + response.body());
        }
        return EvaluationSet.JSON.readTree(response.body());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }

    @Override
    public void close() {
        context.close();
    }

    /**
     * The embedded server stops when the JVM exits (after every context closed its pool) and removes its
     * {@code postmaster.pid}; the folder is removed after that, waiting at most 30 s.
     */
    private static void deleteWhenTheDatabaseHasStopped(Path folder) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Path pid = folder.resolve("postgres").resolve("postmaster.pid");
            Instant until = Instant.now().plusSeconds(30);
            while (Files.exists(pid) && Instant.now().isBefore(until)) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // The folder is in the system's temporary folder; leaving it behind loses nothing.
            }
        }, "evaluation-cleanup"));
    }
}
