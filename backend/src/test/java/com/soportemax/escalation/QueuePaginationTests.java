package com.soportemax.escalation;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.Reply;
import com.soportemax.chat.ConversationEscalated;
import com.soportemax.chat.ConversationId;
import com.soportemax.chat.EscalationReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 10: the agents' queue comes in pages (the API with {@code size} and a {@code Link} to the next page, the
 * console with "next page" links), and the queue order (the most urgent first, then the longest waiting) holds
 * across the pages.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "soportemax.escalation.queue-page-size=3")
@Import(TestDatabase.class)
class QueuePaginationTests {

    private static final Pattern NEXT_PAGE = Pattern.compile("id=\"queue-next\" href=\"([^\"]+)\"");
    private static final Pattern TICKET = Pattern.compile("id=\"ticket-([0-9a-f-]{36})\"");

    @LocalServerPort
    int port;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate transaction;

    WidgetClient client;
    /** Conversation id -> ticket id, in the order the queue must show them. */
    final Map<String, String> expectedOrder = new LinkedHashMap<>();

    @BeforeEach
    void nineEscalationsOfThreeUrgencies() {
        client = new WidgetClient(port);
        // Created interleaved (a low-confidence one first, a legal threat last), minutes apart, in the past.
        Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        EscalationReason[] arrivals = {EscalationReason.LOW_CONFIDENCE, EscalationReason.CUSTOMER_REQUEST,
                EscalationReason.SENSITIVE_TOPIC, EscalationReason.NO_KNOWLEDGE, EscalationReason.SENSITIVE_TOPIC,
                EscalationReason.ACCOUNT_ACTION, EscalationReason.ENGINE_FAILURE, EscalationReason.CUSTOMER_REQUEST,
                EscalationReason.SENSITIVE_TOPIC};
        List<String[]> created = new ArrayList<>();
        for (int i = 0; i < arrivals.length; i++) {
            Conversation conversation = client.start("es");
            EscalationReason reason = arrivals[i];
            Instant at = start.plus(Duration.ofMinutes(i));
            transaction.executeWithoutResult(status -> events.publishEvent(new ConversationEscalated(
                    ConversationId.parse(conversation.id()), reason, "test " + reason, "", at)));
            created.add(new String[]{conversation.id(), Integer.toString(urgency(reason)), Integer.toString(i)});
        }
        created.sort((a, b) -> a[1].equals(b[1]) ? Integer.compare(Integer.parseInt(a[2]), Integer.parseInt(b[2]))
                : a[1].compareTo(b[1]));
        await().atMost(Duration.ofSeconds(20)).until(() -> ours(client.queue(WidgetClient.TEST_ADMIN)).size() == 9);
        List<JsonNode> tickets = ours(client.queue(WidgetClient.TEST_ADMIN));
        for (String[] conversation : created) {
            expectedOrder.put(conversation[0], tickets.stream()
                    .filter(t -> t.path("conversationId").asString().equals(conversation[0])).findFirst().orElseThrow()
                    .path("ticketId").asString());
        }
    }

    @AfterEach
    void resolveThem() {
        // Old open tickets would otherwise come before every later test's tickets of the same urgency.
        for (String conversation : expectedOrder.keySet()) {
            client.send("POST", "/api/agent/conversations/" + conversation + "/resolve", null, WidgetClient.TEST_ADMIN);
        }
    }

    @Test
    void theApiGivesTheQueueInPagesAndTheUrgentFirstOrderHoldsAcrossThem() {
        List<JsonNode> all = new ArrayList<>();
        String next = "/api/agent/queue?size=2";
        int pages = 0;
        while (next != null) {
            Reply page = client.send("GET", next, null, WidgetClient.TEST_ADMIN);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.json().size()).isBetween(1, 2);
            page.json().forEach(all::add);
            pages++;
            next = page.raw().headers().firstValue("Link").map(QueuePaginationTests::nextOf).orElse(null);
        }

        assertThat(pages).isGreaterThanOrEqualTo(5);
        assertThat(all).extracting(ticket -> ticket.path("ticketId").asString()).doesNotHaveDuplicates();
        for (int i = 1; i < all.size(); i++) {
            JsonNode before = all.get(i - 1);
            JsonNode after = all.get(i);
            assertThat(before.path("priority").asInt()).isLessThanOrEqualTo(after.path("priority").asInt());
        }
        assertThat(ours(all)).extracting(ticket -> ticket.path("conversationId").asString())
                .containsExactlyElementsOf(expectedOrder.keySet());
    }

    @Test
    void theDefaultPageSizeIsTheSettingAndABadCursorOrSizeIsAClearError() {
        Reply first = client.send("GET", "/api/agent/queue", null, WidgetClient.TEST_ADMIN);
        assertThat(first.json().size()).isEqualTo(3);
        assertThat(first.raw().headers().firstValue("Link")).isPresent();

        Reply badCursor = client.send("GET", "/api/agent/queue?after=nonsense", null, WidgetClient.TEST_ADMIN);
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.text("detail")).contains("after");
        Reply tooBig = client.send("GET", "/api/agent/queue?size=5000", null, WidgetClient.TEST_ADMIN);
        assertThat(tooBig.status()).isEqualTo(400);
        assertThat(tooBig.text("detail")).contains("size");
    }

    @Test
    void theConsoleShowsTheQueueInPagesInTheSameOrder() {
        List<String> ticketIds = new ArrayList<>();
        String next = "/agent";
        int pages = 0;
        while (next != null) {
            String html = client.send("GET", next.replace("&amp;", "&"), null, WidgetClient.TEST_ADMIN).raw().body();
            Matcher ticket = TICKET.matcher(html);
            int onPage = 0;
            while (ticket.find()) {
                ticketIds.add(ticket.group(1));
                onPage++;
            }
            assertThat(onPage).isBetween(1, 3);
            pages++;
            Matcher link = NEXT_PAGE.matcher(html);
            next = link.find() ? link.group(1) : null;
            if (next != null) {
                assertThat(html).contains("Página siguiente");
            }
        }

        assertThat(pages).isGreaterThanOrEqualTo(3);
        assertThat(ticketIds).doesNotHaveDuplicates();
        assertThat(ticketIds.stream().filter(expectedOrder::containsValue).toList())
                .containsExactlyElementsOf(expectedOrder.values());
    }

    private List<JsonNode> ours(List<JsonNode> tickets) {
        return tickets.stream().filter(ticket -> expectedOrder.isEmpty()
                ? createdHere(ticket) : expectedOrder.containsKey(ticket.path("conversationId").asString())).toList();
    }

    private static boolean createdHere(JsonNode ticket) {
        return ticket.path("detail").asString().startsWith("test ");
    }

    private static int urgency(EscalationReason reason) {
        return switch (reason) {
            case SENSITIVE_TOPIC -> 1;
            case CUSTOMER_REQUEST, ACCOUNT_ACTION -> 2;
            default -> 3;
        };
    }

    private static String nextOf(String link) {
        Matcher matcher = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"").matcher(link);
        if (!matcher.find()) {
            return null;
        }
        java.net.URI uri = java.net.URI.create(matcher.group(1));
        return uri.getRawPath() + "?" + uri.getRawQuery();
    }
}
