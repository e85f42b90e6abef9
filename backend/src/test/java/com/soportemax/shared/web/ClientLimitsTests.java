package com.soportemax.shared.web;

import com.soportemax.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One client address against the whole server, without a reverse proxy in front: slow-header connections
 * (slowloris) beyond the address's share are closed as they are accepted, and a request flood is answered 429 before
 * the security filters make a session or a sign-in redirect. Other addresses, and the trusted proxy's own (which
 * carries every customer), are unaffected.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "soportemax.http.connections-per-address=3",
        "soportemax.http.requests-per-second=1",
        "soportemax.http.request-burst=5"})
@Import(TestDatabase.class)
class ClientLimitsTests {

    @LocalServerPort
    int port;

    final List<Socket> sockets = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeSockets() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void slowHeaderConnectionsBeyondAnAddressesShareAreClosedWhileOthersAreServed() throws Exception {
        InetAddress attacker = InetAddress.getByName("127.0.0.2");
        assumeTrue(canBind(attacker), "this system cannot bind 127.0.0.2 (Linux routes all of 127/8 to loopback)");
        for (int i = 0; i < 3; i++) {
            Socket slow = connect(attacker);
            slow.getOutputStream().write("GET /actuator/health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        Socket fourth = connect(attacker);
        fourth.getOutputStream().write("GET /actuator/health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(answer(fourth)).as("a fourth connection from the same address is closed unanswered").isEmpty();

        assertThat(answer(request(connect(InetAddress.getByName("127.0.0.3")))))
                .as("another address is served").startsWith("HTTP/1.1 200");
        for (int i = 0; i < 4; i++) {
            assertThat(answer(request(connect(InetAddress.getLoopbackAddress()))))
                    .as("the trusted proxy's own address is never capped").startsWith("HTTP/1.1 200");
        }

        for (Socket socket : sockets.subList(0, 3)) {
            socket.close();
        }
        // The server counts a connection until it has seen it close, so poll (bounded) until it has.
        String served = "";
        for (long until = System.nanoTime() + 20_000_000_000L; !served.startsWith("HTTP/1.1 200") && System.nanoTime() < until; ) {
            served = answer(request(connect(attacker)));
            if (!served.startsWith("HTTP/1.1 200")) {
                Thread.sleep(100);
            }
        }
        assertThat(served).as("once it lets go, the address is served again").startsWith("HTTP/1.1 200");
    }

    @Test
    void aRequestFloodFromOneAddressIsAnswered429BeforeAnySessionOrSignInRedirect() throws Exception {
        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 30 && answers.stream().noneMatch(answer -> answer.statusCode() == 429); i++) {
            answers.add(page("192.0.2.77"));
        }
        assertThat(answers.subList(0, 5)).as("the burst is served: anonymous visitors are sent to sign in")
                .allSatisfy(answer -> assertThat(answer.statusCode()).isEqualTo(302));
        HttpResponse<String> refused = answers.getLast();
        assertThat(refused.statusCode()).as("the flood is refused").isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValueSatisfying(
                seconds -> assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(refused.headers().allValues("Set-Cookie")).as("no session, no cookie for a refused request").isEmpty();
        assertThat(refused.body()).contains("Too many requests from your address");

        assertThat(page("192.0.2.78").statusCode()).as("another address is not affected").isEqualTo(302);
        assertThat(page(null).statusCode()).as("nor the trusted proxy's own requests").isEqualTo(302);
    }

    @Test
    void aWidgetOverTheRateCanReadItsRefusalAcrossOrigins() throws Exception {
        HttpResponse<String> answer = null;
        for (int i = 0; i < 30 && (answer == null || answer.statusCode() != 429); i++) {
            answer = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/widget/conversations"))
                    .header("Origin", "https://shop.example").header("X-Forwarded-For", "192.0.2.91")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"locale\":\"es\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(answer.statusCode()).as("the flood is refused").isEqualTo(429);
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).as("readable by the widget's page")
                .isPresent();
        assertThat(answer.headers().firstValue("Access-Control-Expose-Headers")).hasValueSatisfying(
                exposed -> assertThat(exposed).containsIgnoringCase("Retry-After"));
    }

    private HttpResponse<String> page(String address) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/agent"))
                .header("Accept", "text/html");
        if (address != null) {
            request.header("X-Forwarded-For", address);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private Socket connect(InetAddress from) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static Socket request(Socket socket) throws IOException {
        socket.getOutputStream().write(("GET /actuator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        return socket;
    }

    /** What the server answered before closing the connection; empty when it closed (or reset) it unanswered. */
    private static String answer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256];
        try {
            int read = in.read(buffer);
            return read < 0 ? "" : new String(buffer, 0, read, StandardCharsets.US_ASCII);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server neither answered nor closed the connection within 10 s", e);
        } catch (IOException reset) {
            return "";
        }
    }

    private static boolean canBind(InetAddress address) {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
