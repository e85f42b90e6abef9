package com.soportemax.inference.server;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The server's counters, written in the Prometheus text exposition format (version 0.0.4). */
final class ServerMetrics {

    private static final double[] LATENCY_BUCKETS = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120};

    private record RequestKey(String endpoint, int status) {
    }

    /** A cumulative histogram: counts per upper bound, sum and count. */
    private static final class Histogram {
        private final LongAdder[] buckets = new LongAdder[LATENCY_BUCKETS.length];
        private final LongAdder count = new LongAdder();
        private final AtomicLong sumNanos = new AtomicLong();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
        }

        void observe(long nanos) {
            double seconds = nanos / 1e9;
            for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
                if (seconds <= LATENCY_BUCKETS[i]) buckets[i].increment();
            }
            count.increment();
            sumNanos.addAndGet(nanos);
        }

        void write(StringBuilder out, String name, String help, String labels) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
            out.append("# TYPE ").append(name).append(" histogram\n");
            String sep = labels.isEmpty() ? "" : labels + ",";
            for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
                out.append(name).append("_bucket{").append(sep).append("le=\"").append(le(LATENCY_BUCKETS[i]))
                        .append("\"} ").append(buckets[i].sum()).append('\n');
            }
            out.append(name).append("_bucket{").append(sep).append("le=\"+Inf\"} ").append(count.sum()).append('\n');
            String braces = labels.isEmpty() ? "" : "{" + labels + "}";
            out.append(name).append("_sum").append(braces).append(' ')
                    .append(String.format(Locale.ROOT, "%.6f", sumNanos.get() / 1e9)).append('\n');
            out.append(name).append("_count").append(braces).append(' ').append(count.sum()).append('\n');
        }

        private static String le(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final LongAdder promptTokens = new LongAdder();
    private final LongAdder completionTokens = new LongAdder();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong waitingForFirstToken = new AtomicLong();
    private final Histogram requestLatency = new Histogram();
    private final Histogram timeToFirstToken = new Histogram();

    void requestFinished(String endpoint, int status, long nanos) {
        requests.computeIfAbsent(new RequestKey(endpoint, status), k -> new LongAdder()).increment();
        if (endpoint.startsWith("/v1/")) requestLatency.observe(nanos);
    }

    void generationStarted() {
        inFlight.incrementAndGet();
        waitingForFirstToken.incrementAndGet();
    }

    void firstToken(long nanosSinceStart) {
        waitingForFirstToken.decrementAndGet();
        timeToFirstToken.observe(nanosSinceStart);
    }

    /** @param sawFirstToken false when the generation ended before producing any token */
    void generationFinished(boolean sawFirstToken, int prompt, int completion) {
        if (!sawFirstToken) waitingForFirstToken.decrementAndGet();
        inFlight.decrementAndGet();
        promptTokens.add(prompt);
        completionTokens.add(completion);
    }

    long requests(String endpoint, int status) {
        LongAdder a = requests.get(new RequestKey(endpoint, status));
        return a == null ? 0 : a.sum();
    }

    String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP soportemax_requests_total HTTP requests answered, by endpoint and status code.\n");
        out.append("# TYPE soportemax_requests_total counter\n");
        Map<String, Long> sorted = new TreeMap<>();
        requests.forEach((k, v) -> sorted.put("endpoint=\"" + k.endpoint() + "\",status=\"" + k.status() + "\"", v.sum()));
        sorted.forEach((labels, v) -> out.append("soportemax_requests_total{").append(labels).append("} ").append(v)
                .append('\n'));
        counter(out, "soportemax_prompt_tokens_total", "Prompt tokens processed (template included).",
                promptTokens.sum());
        counter(out, "soportemax_completion_tokens_total", "Tokens generated.", completionTokens.sum());
        gauge(out, "soportemax_generations_running", "Generations accepted and not finished (queued included).",
                inFlight.get());
        gauge(out, "soportemax_generations_queued",
                "Generations waiting for their first token: in the engine's queue or reading their prompt.",
                waitingForFirstToken.get());
        requestLatency.write(out, "soportemax_request_duration_seconds",
                "Time from request to the last byte of the answer, API endpoints.", "");
        timeToFirstToken.write(out, "soportemax_time_to_first_token_seconds",
                "Time from request to the first generated token, queue wait included.", "");
        return out.toString();
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" counter\n");
        out.append(name).append(' ').append(value).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        out.append(name).append(' ').append(value).append('\n');
    }
}
