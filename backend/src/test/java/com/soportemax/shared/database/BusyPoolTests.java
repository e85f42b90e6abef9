package com.soportemax.shared.database;

import com.soportemax.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Right after a start on a loaded machine the load benchmark and the crash test saw 503s from a running database:
 * every pooled connection was held (by requests and answers whose threads were not scheduled in time) for longer
 * than Hikari's connection timeout, and the timeout was answered as an outage. Here the pool is held by the test
 * past that timeout (shortened to 0.5 s) while a customer starts a conversation: the customer waits and is served
 * once connections come back, and is never told the service is unavailable. (An unreachable database still fails
 * fast with 503 and Retry-After: DatabaseOutageTests.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.hikari.connection-timeout=500",
        "spring.datasource.hikari.maximum-pool-size=6"})
@Import(TestDatabase.class)
class BusyPoolTests {

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Test
    void aRequestOutlastingTheConnectionTimeoutOfABusyPoolIsServedOnceConnectionsComeBack() throws Exception {
        assertThat(dataSource).isInstanceOf(BusyPoolWait.PatientDataSource.class);
        BusyPoolWait.PatientDataSource patient = (BusyPoolWait.PatientDataSource) dataSource;
        HikariDataSource pool = dataSource.unwrap(HikariDataSource.class);
        long busyBefore = patient.busyTimeouts();

        List<Connection> held = holdEveryConnection(pool);
        CompletableFuture<HttpResponse<String>> start;
        try {
            start = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                                    + "/api/widget/conversations")).timeout(Duration.ofSeconds(30))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"locale\":\"es\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            // Until the request has waited out at least one connection timeout (or was answered: the failure below).
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (patient.busyTimeouts() == busyBefore && !start.isDone()) {
                assertThat(System.nanoTime()).as("the request is waiting for a connection").isLessThan(deadline);
                TimeUnit.MILLISECONDS.sleep(20);
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
        HttpResponse<String> started = start.get(20, TimeUnit.SECONDS);
        assertThat(started.statusCode()).as("answered %s", started.body()).isEqualTo(201);
        assertThat(started.body()).contains("conversationId");
        assertThat(patient.busyTimeouts()).as("the request outlasted the pool's connection timeout").isGreaterThan(busyBefore);
    }

    /** Takes connections from the pool until it has none left to give (it then times out at once, in 0.5 s). */
    private static List<Connection> holdEveryConnection(HikariDataSource pool) throws Exception {
        List<Connection> held = new ArrayList<>();
        try {
            while (held.size() <= pool.getMaximumPoolSize()) {
                held.add(pool.getConnection());
            }
        } catch (SQLTransientConnectionException exhausted) {
            assertThat(exhausted.getCause()).as("the database is up, the pool is only busy").isNull();
            return held;
        }
        throw new AssertionError("the pool gave more connections than its maximum");
    }
}
