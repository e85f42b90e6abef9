package com.soportemax.demo;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.assistant.ScriptedLanguageModel;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.UnhandledAlertException;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Stored XSS, as an attacker would try it: a corpus of the classic payload kinds (script tags, event handlers, SVG,
 * {@code javascript:} and {@code data:} URLs, iframe srcdoc, attribute and tag breaking, CSS, template injection,
 * entity encoding, mixed case, NUL splitting, mutation XSS, meta refresh, base and form hijacking), Markdown payloads
 * and htmx attributes, sent as customer messages, the page the widget was opened on, agent replies, internal notes,
 * an article's title and body, a staff member's display name, a rating comment, and a bot answer written by a test
 * engine. Then every page that shows them is opened in a real headless Chromium <em>with its Content-Security-Policy
 * bypassed</em> (so the escaping itself is what is tested, not only the CSP) and must show them as inert text: no
 * payload element in the DOM, no script ran (each payload sets a global and calls {@code alert}), no dialog, and the
 * loopback listener every payload points at received no request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "soportemax.chat.messages.capacity=100000", "soportemax.chat.messages-per-address.capacity=100000",
        "soportemax.chat.conversations.capacity=100000", "soportemax.chat.limits.escalations.capacity=100000"})
@Import({TestDatabase.class, StoredXssBrowserTests.ScriptedEngine.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class StoredXssBrowserTests {

    private static final String ADMIN = WidgetClient.TEST_ADMIN;
    private static final String SSTI_RESULT = "xss-ssti-49";

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    ScriptedLanguageModel model;

    private HttpServer listener;
    private final List<String> hits = new CopyOnWriteArrayList<>();
    private WidgetClient widget;
    private Chromium browser;
    private Map<String, String> kinds;
    private List<String> corpus;
    private WidgetClient.Conversation withAgent;
    private WidgetClient.Conversation withBot;
    private WidgetClient.Conversation rated;
    private String articleId;

    @BeforeAll
    void plantTheCorpus() throws Exception {
        Chromium.assumeInstalled();
        listener = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        listener.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            byte[] body = new byte[0];
            if (path.equals("/embed")) {
                // A customer's site that embeds the widget and has no Content-Security-Policy at all.
                body = ("<!doctype html><html><head><title>Tienda</title></head><body><h1>Tienda</h1>"
                        + "<script src=\"http://localhost:" + port + "/widget.js\" data-locale=\"es\"></script>"
                        + "</body></html>").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            } else if (!path.equals("/favicon.ico")) {
                hits.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            }
            exchange.sendResponseHeaders(body.length == 0 ? 204 : 200, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        listener.start();
        kinds = corpus("127.0.0.1:" + listener.getAddress().getPort());
        corpus = List.copyOf(kinds.values());
        widget = new WidgetClient(port);

        // A staff member whose display name is a payload: agents, admins and customers see it.
        String agentEmail = "xss-" + UUID.randomUUID() + "@soportemax.test";
        // (Display names are at most 200 characters: this script shows itself by the global and the dialog only.)
        String agentName = "\"><img data-xss src=x onerror=top.xssRan=1;alert(1)> Ana <script data-xss>top.xssRan=1</script>";
        WidgetClient.Reply created = widget.send("POST", "/api/admin/users", json(Map.of("email", agentEmail,
                "displayName", agentName, "role", "AGENT", "password", WidgetClient.STAFF_PASSWORD)), ADMIN);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String agent = WidgetClient.basic(agentEmail, WidgetClient.STAFF_PASSWORD);

        // An article whose title and body are payloads (the assistant cites it; admins edit it).
        String externalId = "xss-" + UUID.randomUUID();
        // The bot's answer, grounded in the article (which says the same): a few kinds, each once, since a draft
        // that repeats itself is withdrawn as a loop before anyone sees it.
        String botAnswer = "Las hamacas de jardín se guardan en invierno bajo techo, secas y plegadas. " + String.join(" ",
                kinds.get("img onerror"), kinds.get("template injection"), kinds.get("markdown javascript link"),
                kinds.get("markdown data link and image"), kinds.get("htmx get on load"), kinds.get("meta refresh and base"));
        WidgetClient.Reply imported = widget.send("POST", "/api/admin/knowledge/import", json(List.of(Map.of(
                "externalId", externalId,
                "title", "Hamacas <img data-xss src=x onerror=" + script("title") + "> [x](javascript:" + script("title-md") + ")",
                "tags", List.of("hamacas"),
                "body", botAnswer + "\n\n" + String.join("\n\n", printable())))), ADMIN);
        assertThat(imported.status()).as(imported.raw().body()).isBetween(200, 299);
        articleId = jdbc.queryForObject("select id::text from knowledge_articles where external_id = ?", String.class,
                externalId);

        // The customer writes every payload, from a page whose address is one too; an agent answers and notes each.
        withAgent = start("http://127.0.0.1:" + listener.getAddress().getPort() + "/\"><img data-xss src=x onerror="
                + script("page") + ">");
        assertThat(widget.escalate(withAgent).status()).isEqualTo(200);
        for (String payload : corpus) {
            int status = widget.post(withAgent, UUID.randomUUID(), payload).status();
            assertThat(status).as("customer message %s", payload).isIn(202, 400);
        }
        JsonNode queue = widget.send("GET", "/api/agent/queue", null, agent).json();
        String ticket = null;
        for (JsonNode entry : queue) {
            if (withAgent.id().equals(entry.path("conversationId").asString())) ticket = entry.path("ticketId").asString();
        }
        assertThat(ticket).as("the customer's ticket in the agents' queue").isNotNull();
        assertThat(widget.send("POST", "/api/agent/tickets/" + ticket + "/claim", null, agent).status()).isEqualTo(200);
        for (String payload : corpus) {
            assertThat(widget.send("POST", "/api/agent/conversations/" + withAgent.id() + "/messages",
                    json(Map.of("text", payload)), agent).status()).as("agent reply %s", payload).isIn(202, 400);
            assertThat(widget.send("POST", "/api/agent/conversations/" + withAgent.id() + "/notes",
                    json(Map.of("text", payload)), agent).status()).as("note %s", payload).isIn(201, 400);
        }

        // The bot's answer, written by a test engine, carries every payload.
        model.reset().answer(botAnswer, -0.05);
        withBot = start(null);
        assertThat(widget.post(withBot, UUID.randomUUID(), "¿Dónde guardo las hamacas de jardín en invierno?").status())
                .isEqualTo(202);
        awaitBotTurn(withBot);
        assertThat(jdbc.queryForObject("select outcome || ' ' || coalesce(escalation_reason, '') || ' ' || detail"
                        + " from bot_answers where conversation_id = ?::uuid", String.class, withBot.id()))
                .as("the bot's answer with the payloads reaches the customer").startsWith("DELIVERED");

        // A rating whose comment is a payload, on a closed conversation.
        rated = start(null);
        assertThat(widget.escalate(rated).status()).isEqualTo(200);
        assertThat(widget.post(rated, UUID.randomUUID(), corpus.getFirst()).status()).isEqualTo(202);
        assertThat(widget.send("POST", "/api/widget/conversations/" + rated.id() + "/close", null, rated.bearer()).status())
                .isEqualTo(200);
        assertThat(widget.send("POST", "/api/widget/conversations/" + rated.id() + "/rating", json(Map.of("score", 1,
                "comment", "<img data-xss src=x onerror=" + script("rating") + "> " + corpus.get(1))), rated.bearer()).status())
                .isIn(200, 201);

        browser = Chromium.start();
        // The escaping is what is tested: a page that rendered a payload as markup must fail even if its CSP would
        // have stopped the script.
        browser.driver.executeCdpCommand("Page.setBypassCSP", Map.of("enabled", true));
        signIn();
        hits.clear();
    }

    @AfterAll
    void stop() {
        if (browser != null) browser.close();
        if (listener != null) listener.stop(0);
    }

    Stream<String> pages() {
        return Stream.of("widget on the shop", "widget on a site without CSP", "widget with the bot's answer",
                "agents' queue", "agents' conversation", "agents' conversation with the bot",
                "admin home", "transcripts", "transcript search", "transcript with agent", "transcript with bot",
                "transcript with rating", "knowledge", "knowledge search", "article editor", "analytics",
                "datasets", "staff", "assistant preview");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pages")
    void storedPayloadsStayInertText(String page) {
        hits.clear();
        boolean showsPayloads = true;
        switch (page) {
            case "widget on the shop" -> openWidget(url("/demo"), withAgent);
            case "widget on a site without CSP" -> openWidget("http://127.0.0.1:" + listener.getAddress().getPort() + "/embed", withAgent);
            case "widget with the bot's answer" -> openWidget(url("/demo"), withBot);
            case "agents' queue" -> open("/agent");
            case "agents' conversation" -> open("/agent/conversations/" + withAgent.id());
            case "agents' conversation with the bot" -> open("/agent/conversations/" + withBot.id());
            case "admin home" -> {
                open("/admin");
                showsPayloads = false;
            }
            case "transcripts" -> open("/admin/transcripts");
            case "transcript search" -> open("/admin/transcripts?q=onerror");
            case "transcript with agent" -> open("/admin/transcripts/" + withAgent.id());
            case "transcript with bot" -> open("/admin/transcripts/" + withBot.id());
            case "transcript with rating" -> open("/admin/transcripts/" + rated.id());
            case "knowledge" -> open("/admin/knowledge");
            case "knowledge search" -> open("/admin/knowledge/search?q=hamacas");
            case "article editor" -> open("/admin/knowledge/" + articleId + "/edit");
            case "analytics" -> {
                open("/admin/stats");
                showsPayloads = false;
            }
            case "datasets" -> {
                open("/admin/datasets");
                showsPayloads = false;
            }
            case "staff" -> open("/admin/staff");
            case "assistant preview" -> {
                open("/admin/assistant/test");
                browser.driver.findElement(By.id("text")).sendKeys("¿Dónde guardo las hamacas? " + corpus.get(2));
                browser.driver.findElement(By.cssSelector("main form button[type=submit]")).click();
                waiting().until(driver -> !driver.findElements(By.id("preview-decision")).isEmpty());
            }
            default -> throw new IllegalArgumentException(page);
        }
        settle();
        assertInert(page, showsPayloads);
    }

    @Test
    void theHarnessSeesAPayloadThatRunsOnAPageWithoutDefences() {
        // The same checks on a page that does render a payload as markup: they must catch it, or they prove nothing.
        hits.clear();
        browser.navigate().to("http://127.0.0.1:" + listener.getAddress().getPort() + "/embed");
        browser.script("document.body.insertAdjacentHTML('beforeend', arguments[0]);", corpus.get(1));
        waiting().until(driver -> {
            try {
                driver.switchTo().alert().dismiss();
                return true;
            } catch (NoAlertPresentException e) {
                return false;
            }
        });
        waiting().until(driver -> !hits.isEmpty());
        assertThat(browser.script("return window.xssRan || null;")).isNotNull();
        assertThat(((Number) browser.script("return document.querySelectorAll('[data-xss]').length;")).intValue()).isPositive();
        hits.clear();
    }

    // ------------------------------------------------------------------ the corpus

    /** The corpus without the NUL-split payload, which every text field refuses (400) before storing anything. */
    private List<String> printable() {
        return corpus.stream().filter(payload -> payload.indexOf('\u0000') < 0).toList();
    }

    /** A script that shows it ran in three ways: a global, a dialog and a request to the listener. */
    private String script(String id) {
        return "top.xssRan=(top.xssRan||0)+1;alert(1);fetch(`http://127.0.0.1:" + listener.getAddress().getPort()
                + "/hit/" + id + "`)";
    }

    private Map<String, String> corpus(String listenerAddress) {
        String hit = "http://" + listenerAddress + "/hit/";
        String js = script("js");
        String encoded = Base64.getEncoder().encodeToString(("<script>" + js + "</script>").getBytes(StandardCharsets.UTF_8));
        Map<String, String> kinds = new LinkedHashMap<>();
        kinds.put("script tag", "<script data-xss>" + js + "</script>");
        kinds.put("img onerror", "<img data-xss src=x onerror=\"" + js + "\">");
        kinds.put("svg onload", "<svg data-xss onload=\"" + js + "\"><circle r=1></circle></svg>");
        kinds.put("javascript: link", "<a data-xss href=\"javascript:" + js + "\">ver pedido</a>");
        kinds.put("iframe srcdoc", "<iframe data-xss srcdoc=\"<script>" + js + "</script>\"></iframe>");
        kinds.put("breaking double quotes", "\"><img data-xss src=x onerror=" + js + ">");
        kinds.put("breaking single quotes and tags", "'></textarea></title></script><script data-xss>" + js + "</script><!--");
        kinds.put("style and expression", "<div data-xss style=\"background:url(" + hit + "css);width:expression(alert(1))\">x</div>"
                + "<style>@import '" + hit + "import';</style>");
        kinds.put("data: URL", "<iframe data-xss src=\"data:text/html;base64," + encoded + "\"></iframe>"
                + "<object data-xss data=\"data:text/html;base64," + encoded + "\"></object>");
        kinds.put("template injection", "[[${'xss-'+'ssti-'+7*7}]] [(${'xss-'+'ssti-'+7*7})] {{'xss-'+'ssti-'+7*7}} ${'xss-'+'ssti-'+7*7} #{'xss-'+'ssti-'+7*7}");
        kinds.put("entity encoded", "&lt;script&gt;" + js + "&lt;/script&gt; <a data-xss href=\"&#106;avascript:" + js
                + "\">x</a> &#60;img src=x onerror=alert(1)&#62;");
        kinds.put("mixed case", "<ScRiPt data-xss>" + js + "</sCrIpT><IMG data-xss SRC=x OnErRoR=\"" + js + "\">");
        kinds.put("NUL split", "<scr\u0000ipt data-xss>" + js + "</scr\u0000ipt>");
        kinds.put("event handlers without images", "<details data-xss open ontoggle=\"" + js + "\">x</details>"
                + "<input data-xss autofocus onfocus=\"" + js + "\"><body data-xss onload=\"" + js + "\">");
        kinds.put("mutation XSS", "<math><mtext><table><mglyph><style><img data-xss src=x onerror=\"" + js + "\">");
        kinds.put("meta refresh and base", "<meta data-xss http-equiv=\"refresh\" content=\"0;url=" + hit + "meta\">"
                + "<base data-xss href=\"" + hit + "base/\"><link data-xss rel=stylesheet href=\"" + hit + "link\">");
        kinds.put("form and embed hijack", "<form data-xss action=\"" + hit + "form\"><button formaction=\"javascript:"
                + js + "\">Enviar</button></form><embed data-xss src=\"" + hit + "embed\"><img data-xss src=\"" + hit + "img\">");
        kinds.put("markdown javascript link", "[ver mi pedido](javascript:" + js + ") [x](JaVaScRiPt:" + js + ")");
        kinds.put("markdown data link and image", "[x](data:text/html;base64," + encoded + ") ![foto](" + hit + "md-image)");
        kinds.put("markdown image with onerror", "![x](x\" onerror=\"" + js + ") **<img data-xss src=x onerror=" + js + ">**");
        kinds.put("raw html in markdown", "- **hola** <b data-xss onmouseover=\"" + js + "\">negrita</b>\n\n<div data-xss>\n\n*x*\n\n</div>");
        kinds.put("htmx get on load", "<div data-xss hx-get=\"" + hit + "hx-get\" hx-trigger=\"load\">x</div>");
        kinds.put("htmx on", "<div data-xss hx-on:htmx:load=\"" + js + "\" hx-on::after-settle=\"" + js + "\">x</div>");
        kinds.put("htmx trigger", "<button data-xss hx-post=\"" + hit + "hx-post\" hx-trigger=\"load, every 1s\""
                + " hx-target=\"body\">x</button><img data-xss src=x hx-get=\"" + hit + "hx-img\" hx-trigger=\"error\">");
        return kinds;
    }

    // ------------------------------------------------------------------ the pages

    private void assertInert(String page, boolean showsPayloads) {
        try {
            browser.driver.switchTo().alert();
            fail("a payload opened a dialog on " + page);
        } catch (NoAlertPresentException expected) {
            // no dialog
        }
        try {
            assertThat(browser.script("return window.xssRan || null;")).as("a payload's script ran on " + page).isNull();
            @SuppressWarnings("unchecked")
            Map<String, Object> dom = (Map<String, Object>) browser.script("""
                    const roots = [document];
                    const host = document.getElementById('soportemax-widget');
                    if (host && host.shadowRoot) roots.push(host.shadowRoot);
                    document.querySelectorAll('iframe').forEach(f => { try { roots.push(f.contentDocument); } catch (e) {} });
                    let elements = [], dangerousLinks = [], text = '';
                    for (const root of roots) {
                      if (!root) continue;
                      root.querySelectorAll('[data-xss]').forEach(e => elements.push(e.outerHTML.slice(0, 200)));
                      root.querySelectorAll('a[href^="javascript:" i], a[href^="data:" i], a[href^="vbscript:" i], [formaction], [srcdoc]')
                          .forEach(e => dangerousLinks.push(e.outerHTML.slice(0, 200)));
                      text += ' ' + (root.body ? root.body.innerText : root.textContent);
                    }
                    return {elements: elements, dangerousLinks: dangerousLinks, text: text};""");
            assertThat((List<?>) dom.get("elements")).as("payload elements parsed as markup on " + page).isEmpty();
            assertThat((List<?>) dom.get("dangerousLinks")).as("javascript:/data: links on " + page).isEmpty();
            String text = (String) dom.get("text");
            assertThat(text).as("template expressions evaluated on " + page).doesNotContain(SSTI_RESULT);
            if (showsPayloads) {
                assertThat(text).as("the payloads are on " + page + " (as text), or this check proves nothing").contains("onerror");
            }
        } catch (UnhandledAlertException e) {
            fail("a payload opened a dialog on " + page + ": " + e.getAlertText());
        }
        assertThat(hits).as("requests from " + page + " to the attacker's listener").isEmpty();
    }

    private void openWidget(String page, WidgetClient.Conversation conversation) {
        browser.navigate().to(page);
        waiting().until(driver -> browser.script("return !!document.getElementById('soportemax-widget')").equals(Boolean.TRUE));
        browser.script("""
                const key = 'soportemax.widget:http://localhost:' + arguments[0] + '/@' + location.host;
                localStorage.setItem(key, JSON.stringify({conversationId: arguments[1], token: arguments[2], rated: false}));
                sessionStorage.setItem(key + ':open', 'true');""", port, conversation.id(), conversation.token());
        browser.navigate().refresh();
        waiting().until(driver -> ((Number) browser.script("""
                const host = document.getElementById('soportemax-widget');
                return host && host.shadowRoot ? host.shadowRoot.querySelectorAll('[data-seq]').length : 0;""")).intValue() > 1);
    }

    private void open(String path) {
        browser.navigate().to(url(path));
        waiting().until(driver -> !driver.getCurrentUrl().contains("/login"));
    }

    /** Until the page has loaded, every image has loaded or failed (so onerror would have fired) and htmx is idle. */
    private void settle() {
        waiting().until(driver -> Boolean.TRUE.equals(browser.script("""
                if (document.readyState !== 'complete') return false;
                const roots = [document];
                const host = document.getElementById('soportemax-widget');
                if (host && host.shadowRoot) roots.push(host.shadowRoot);
                for (const root of roots) {
                  for (const img of root.querySelectorAll('img')) if (!img.complete) return false;
                }
                return !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping');""")));
    }

    private void signIn() {
        browser.navigate().to(url("/login"));
        browser.driver.findElement(By.id("username")).sendKeys("admin@soportemax.test");
        browser.driver.findElement(By.id("password")).sendKeys("test-admin-password");
        browser.driver.findElement(By.cssSelector("button[type=submit]")).click();
        waiting().until(driver -> !driver.getCurrentUrl().contains("/login"));
    }

    private WebDriverWait waiting() {
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        wait.ignoring(org.openqa.selenium.NoSuchElementException.class);
        return wait;
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    // ------------------------------------------------------------------ planting

    private WidgetClient.Conversation start(String page) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("locale", "es");
        if (page != null) body.put("page", page);
        WidgetClient.Reply started = widget.send("POST", "/api/widget/conversations", json(body), null);
        assertThat(started.status()).as(started.raw().body()).isEqualTo(201);
        return new WidgetClient.Conversation(started.text("conversationId"), started.text("token"));
    }

    /** Until the bot has answered or handed over (a withdrawn draft still reaches the agents as the ticket's draft). */
    private void awaitBotTurn(WidgetClient.Conversation conversation) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Long decided = jdbc.queryForObject("select count(*) from bot_answers where conversation_id = ?::uuid",
                    Long.class, conversation.id());
            if (decided != null && decided > 0) return;
            Thread.sleep(50);
        }
        fail("the bot never answered conversation " + conversation.id());
    }

    private static String json(Object value) {
        return WidgetClient.JSON.writeValueAsString(value);
    }

    /** The assistant's language model, scripted to answer with the corpus. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ScriptedEngine {
        @Bean
        ScriptedLanguageModel scriptedLanguageModel() {
            return new ScriptedLanguageModel();
        }
    }
}
