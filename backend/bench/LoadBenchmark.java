// Load benchmark of the widget API against a running SoporteMax (not a test). JDK only, run from source:
//
//   java -Ddb.pid=<postmaster-pid> backend/bench/LoadBenchmark.java http://127.0.0.1:8080 <app-pid> [sessions=500] [messages=6] [attack=false]
//
// Each widget session (its own client address, as the reverse proxy would report it in X-Forwarded-For; the app
// trusts that header from loopback by default) starts a conversation, holds its event stream open and posts
// messages at a customer's pace (a first one within the ramp-up, then one every 5-15 s: 500 sessions offer about
// 50 messages a second). Sessions arrive over the first 20 s (-Dramp=20), as customers do, not all in one
// millisecond. Measured: accept latency (POST until 202), delivery latency (202 until the message arrives on the
// session's own event stream; 0 when the event came first), errors, and the application's CPU and memory (from
// /proc). With attack=true one attacker address runs, at the same time and bounded in count and time: a stream flood
// (as many conversations as it may start, 64 parallel openers, 3,000 attempts: it holds the per-address cap and is
// refused the rest), slowloris (1,000 sockets that send a header line every 5 s) and an anonymous session flood on
// staff pages (5,000 requests). The stream and session floods come through the "proxy" (X-Forwarded-For
// 203.0.113.66); slowloris connects directly from its own loopback address (-Dattack.bind=127.0.0.66), as a client
// without a proxy in front would. -Dattack.rate=N paces the two floods together at N requests a second (0, the
// default: as fast as the server answers); the attacker's achieved request rate is reported either way.
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class LoadBenchmark {

    static final Pattern FIELD = Pattern.compile("\"(conversationId|token|seq)\"\\s*:\\s*\"?([^\",}]+)\"?");
    static String base;
    static long start;
    /** -Dtrace=FILE: one line per message (seconds since the start, accept ms, delivery ms), to place the slow ones in time. */
    static final List<String> TRACE = System.getProperty("trace") == null ? null : Collections.synchronizedList(new ArrayList<>());
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    static final List<Long> accept = Collections.synchronizedList(new ArrayList<>());
    static final List<Long> delivery = Collections.synchronizedList(new ArrayList<>());
    static final AtomicInteger errors = new AtomicInteger();
    static final AtomicInteger sent = new AtomicInteger();
    static final Map<String, String> errorKinds = new ConcurrentHashMap<>();
    static final AtomicInteger attackRequests = new AtomicInteger();
    static volatile long attackFirst;
    static volatile long attackLast;
    static final long attackInterval = Long.getLong("attack.rate", 0) > 0 ? 1_000_000_000L / Long.getLong("attack.rate") : 0;
    static final java.util.concurrent.atomic.AtomicLong attackNext = new java.util.concurrent.atomic.AtomicLong();

    /** One attacker request: paced when -Dattack.rate is set, counted for the attacker's rate. */
    static void attackerSends() throws InterruptedException {
        long now = System.nanoTime();
        if (attackInterval > 0) {
            long slot = attackNext.accumulateAndGet(now, (next, t) -> Math.max(next, t) + attackInterval) - attackInterval;
            if (slot > now) Thread.sleep(Duration.ofNanos(slot - now));
        }
        if (attackRequests.getAndIncrement() == 0) attackFirst = System.nanoTime();
        attackLast = System.nanoTime();
    }

    public static void main(String[] args) throws Exception {
        base = args[0];
        long pid = Long.parseLong(args[1]);
        int sessions = args.length > 2 ? Integer.parseInt(args[2]) : 500;
        int messages = args.length > 3 ? Integer.parseInt(args[3]) : 6;
        boolean attack = args.length > 4 && Boolean.parseBoolean(args[4]);
        long cpuBefore = cpuTicks(pid);
        long dbBefore = databaseTicks();
        start = System.nanoTime();
        AtomicInteger attackRefused = new AtomicInteger();
        AtomicInteger attackHeld = new AtomicInteger();
        List<Socket> slowloris = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            if (attack) {
                pool.submit(() -> streamFlood(attackRefused, attackHeld));
                pool.submit(() -> slowloris(slowloris, 1000));
                pool.submit(() -> sessionFlood(5000));
            }
            CountDownLatch done = new CountDownLatch(sessions);
            long ramp = Duration.ofSeconds(Long.getLong("ramp", 20)).toNanos();
            for (int s = 0; s < sessions; s++) {
                int number = s;
                long startAt = start + ramp * s / sessions;
                pool.submit(() -> {
                    try {
                        long wait = startAt - System.nanoTime();
                        if (wait > 0) Thread.sleep(Duration.ofNanos(wait));
                        session(number, messages);
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        errorKinds.merge(e.getClass().getSimpleName() + ": " + e.getMessage(), "x", String::concat);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            long cpuAfter = cpuTicks(pid);
            long dbAfter = databaseTicks();
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpu = (cpuAfter - cpuBefore) / 100.0 / seconds * 100;
            System.out.printf("sessions=%d messages=%d attack=%s duration=%.1fs%n", sessions, sent.get(), attack, seconds);
            System.out.printf("accept   p50=%.1f ms p99=%.1f ms (n=%d)%n", pct(accept, 50), pct(accept, 99), accept.size());
            System.out.printf("delivery p50=%.1f ms p99=%.1f ms (n=%d)%n", pct(delivery, 50), pct(delivery, 99), delivery.size());
            System.out.printf("errors (legitimate sessions)=%d %s%n", errors.get(), errorKinds.keySet());
            System.out.printf("app cpu=%.0f%% of one core, rss=%s, PostgreSQL cpu=%.0f%% (-Ddb.pid), load average=%s%n",
                    cpu, rss(pid), (dbAfter - dbBefore) / 100.0 / seconds * 100, Files.readString(Path.of("/proc/loadavg")).strip());
            if (attack) {
                double attackSeconds = Math.max(1e-3, (attackLast - attackFirst) / 1e9);
                System.out.printf("attacker: %d requests in %.1f s = %.0f requests/s (stream + session floods), "
                                + "streams held=%d refused=%d %s, anonymous page hits=%d %s, slowloris sockets opened=%d, "
                                + "still open at the end=%d%n", attackRequests.get(), attackSeconds,
                        attackRequests.get() / attackSeconds, attackHeld.get(), attackRefused.get(), refusals,
                        sessionHits.get(), pageAnswers, slowloris.size(), slowlorisOpen.get());
            }
            for (Socket socket : slowloris) {
                socket.close();
            }
            pool.shutdownNow();
        }
        if (TRACE != null) {
            Files.write(Path.of(System.getProperty("trace")), TRACE);
        }
        System.exit(0);
    }

    static void session(int number, int messages) throws Exception {
        String address = "10.%d.%d.%d".formatted(1 + number / 65536, (number / 256) % 256, number % 256);
        String started = call("POST", "/api/widget/conversations", "{\"locale\":\"es\"}", null, address, 201);
        String id = field(started, "conversationId");
        String token = field(started, "token");
        Map<Long, Long> arrived = new ConcurrentHashMap<>();
        HttpResponse<InputStream> stream = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/widget/conversations/"
                        + id + "/events")).header("Authorization", "Bearer " + token).header("X-Forwarded-For", address)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());
        if (stream.statusCode() != 200) {
            throw new IOException("stream " + stream.statusCode());
        }
        CountDownLatch replayed = new CountDownLatch(1);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream.body(), StandardCharsets.UTF_8))) {
                String line;
                String eventId = null;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith(":replayed")) {
                        replayed.countDown();
                    } else if (line.startsWith("id:")) {
                        eventId = line.substring(3).strip();
                    } else if (line.isEmpty() && eventId != null) {
                        arrived.putIfAbsent(Long.parseLong(eventId), System.nanoTime());
                        synchronized (arrived) {
                            arrived.notifyAll();
                        }
                        eventId = null;
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // closed at the end
            }
        });
        replayed.await();
        for (int i = 0; i < messages; i++) {
            // A customer reads the answer and types the next question.
            Thread.sleep(i == 0 ? ThreadLocalRandom.current().nextInt(0, 2000) : ThreadLocalRandom.current().nextInt(5000, 15000));
            String body = "{\"clientMessageId\":\"" + UUID.randomUUID() + "\",\"text\":\"Pregunta " + i
                    + ": ¿cuánto tarda el envío?\"}";
            long before = System.nanoTime();
            String posted = call("POST", "/api/widget/conversations/" + id + "/messages", body, token, address, 202);
            long acceptedAt = System.nanoTime();
            accept.add(acceptedAt - before);
            sent.incrementAndGet();
            long seq = Long.parseLong(field(posted, "seq"));
            long deadline = acceptedAt + Duration.ofSeconds(30).toNanos();
            // Woken by the stream reader (no polling: the load tool shares the machine's cores with the server).
            synchronized (arrived) {
                while (!arrived.containsKey(seq)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new IOException("message " + seq + " never arrived on the stream");
                    }
                    arrived.wait(Math.max(1, left / 1_000_000));
                }
            }
            long delivered = Math.max(0, arrived.get(seq) - acceptedAt);
            delivery.add(delivered);
            if (TRACE != null) {
                TRACE.add("%.3f %.1f %.1f".formatted((before - start) / 1e9, (acceptedAt - before) / 1e6, delivered / 1e6));
            }
        }
        stream.body().close();
        reader.interrupt();
    }

    static final Map<String, AtomicInteger> refusals = new ConcurrentHashMap<>();
    static final AtomicInteger sessionHits = new AtomicInteger();

    static void streamFlood(AtomicInteger refused, AtomicInteger held) {
        String attacker = "203.0.113.66";
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<String[]> conversations = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 200 && System.nanoTime() < until; i++) {
            try {
                attackerSends();
                String started = call("POST", "/api/widget/conversations", "{}", null, attacker, 201);
                conversations.add(new String[]{field(started, "conversationId"), field(started, "token")});
            } catch (Exception e) {
                refusals.computeIfAbsent("start " + e.getMessage().replaceAll(".*-> ", ""), k -> new AtomicInteger()).incrementAndGet();
                if (!conversations.isEmpty()) break; // the address's conversation budget is spent
            }
        }
        if (conversations.isEmpty()) return;
        AtomicInteger attempt = new AtomicInteger();
        List<InputStream> open = Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService openers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 64; t++) {
                openers.submit(() -> {
                    int i;
                    while ((i = attempt.getAndIncrement()) < 3000 && System.nanoTime() < until) {
                        String[] conversation = conversations.get(i % conversations.size());
                        try {
                            attackerSends();
                            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(URI.create(base
                                            + "/api/widget/conversations/" + conversation[0] + "/events"))
                                    .timeout(Duration.ofSeconds(30))
                                    .header("Authorization", "Bearer " + conversation[1]).header("X-Forwarded-For", attacker)
                                    .build(), HttpResponse.BodyHandlers.ofInputStream());
                            if (response.statusCode() == 200) {
                                held.incrementAndGet();
                                open.add(response.body()); // held open until the run ends
                            } else {
                                refused.incrementAndGet();
                                refusals.computeIfAbsent("stream " + response.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                                response.body().close();
                            }
                        } catch (Exception e) {
                            refused.incrementAndGet();
                            refusals.computeIfAbsent("stream " + e.getClass().getSimpleName(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                });
            }
        }
        try {
            Thread.sleep(Math.max(0, Duration.ofNanos(until - System.nanoTime()).toMillis()));
        } catch (InterruptedException e) {
            // the run is over
        }
        for (InputStream stream : open) {
            try {
                stream.close();
            } catch (IOException e) {
                // closing at the end
            }
        }
    }

    static final AtomicInteger slowlorisOpen = new AtomicInteger();

    static void slowloris(List<Socket> sockets, int count) {
        URI uri = URI.create(base);
        java.net.InetAddress bind;
        try {
            bind = java.net.InetAddress.getByName(System.getProperty("attack.bind", "127.0.0.66"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < count; i++) {
            try {
                Socket socket = new Socket(uri.getHost(), uri.getPort(), bind, 0);
                OutputStream out = socket.getOutputStream();
                out.write("GET /demo HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                sockets.add(socket);
            } catch (IOException e) {
                break;
            }
        }
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < until) {
            int alive = 0;
            for (Socket socket : sockets) {
                try {
                    socket.getOutputStream().write("X-a: b\r\n".getBytes(StandardCharsets.US_ASCII));
                    alive++;
                } catch (IOException e) {
                    // the server hung up: that is the defence working
                }
            }
            slowlorisOpen.set(alive);
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static final Map<Integer, AtomicInteger> pageAnswers = new ConcurrentHashMap<>();

    static void sessionFlood(int count) {
        for (int i = 0; i < count; i++) {
            try {
                attackerSends();
                HttpResponse<Void> answer = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/agent")).header("Accept", "text/html")
                        .header("X-Forwarded-For", "203.0.113.66").build(), HttpResponse.BodyHandlers.discarding());
                pageAnswers.computeIfAbsent(answer.statusCode(), k -> new AtomicInteger()).incrementAndGet();
                sessionHits.incrementAndGet();
            } catch (Exception e) {
                return;
            }
        }
    }

    static String call(String method, String path, String body, String token, String address, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("X-Forwarded-For", address)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IOException(method + " " + path.replaceAll("[0-9a-f-]{36}", "{id}") + " -> " + response.statusCode());
        }
        return response.body();
    }

    static String field(String json, String name) {
        Matcher matcher = FIELD.matcher(json);
        while (matcher.find()) {
            if (matcher.group(1).equals(name)) {
                return matcher.group(2);
            }
        }
        throw new IllegalStateException("no " + name + " in " + json);
    }

    static double pct(List<Long> values, int percentile) {
        List<Long> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    static long cpuTicks(long pid) throws IOException {
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
    }

    /**
     * CPU of the database server: the postmaster given as -Ddb.pid (pg_ctl detaches it from the application), its
     * live backends and the ones it reaped. 0 without it.
     */
    static long databaseTicks() throws IOException {
        long postmaster = Long.getLong("db.pid", 0);
        if (postmaster == 0) return 0;
        String[] stat = Files.readString(Path.of("/proc/" + postmaster + "/stat")).split("\\) ")[1].split(" ");
        return Long.parseLong(stat[11]) + Long.parseLong(stat[12]) + Long.parseLong(stat[13]) + Long.parseLong(stat[14])
                + childrenTicks(postmaster);
    }

    private static long childrenTicks(long parent) throws IOException {
        long total = 0;
        try (var processes = Files.list(Path.of("/proc"))) {
            for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String[] stat = Files.readString(process.resolve("stat")).split("\\) ")[1].split(" ");
                    if (Long.parseLong(stat[1]) == parent) total += Long.parseLong(stat[11]) + Long.parseLong(stat[12]);
                } catch (IOException | RuntimeException gone) {
                    // the backend ended meanwhile (its time is in the postmaster's cutime then)
                }
            }
        }
        return total;
    }

    static String rss(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS"))
                .map(l -> l.replace("VmRSS:", "").strip()).findFirst().orElse("?");
    }
}
