package com.soportemax.demo;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Conversation;
import com.soportemax.WidgetClient.Staff;
import com.soportemax.assistant.ScriptedLanguageModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agents' pages in a real headless Chromium against the running application: what stands behind the bot's draft
 * (its passages, linking to the articles), a reply kept through a session expiry, the console in English for an
 * agent whose browser prefers it, the queue and conversation on a phone, new tickets announced in the tab title and
 * by a notification, and Ctrl+Enter sending the reply.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestDatabase.class, WidgetBrowserTests.ScriptedEngine.class})
class AgentPagesBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    ScriptedLanguageModel model;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    Chromium agent;

    @BeforeAll
    static void chromiumInstalled() {
        Chromium.assumeInstalled();
    }

    @AfterEach
    void closeBrowser() {
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void theDraftShowsItsConfidenceReasonAndPassagesWhoseLinksOpenTheArticle() {
        WidgetClient client = new WidgetClient(port);
        String marker = UUID.randomUUID().toString().substring(0, 8);
        String title = "Garantía del patinete Volta " + marker;
        importArticle(client, marker, title);
        String draft = "Quizá la garantía cubra la batería, aunque no estoy seguro " + marker + ".";
        model.reset().answer(draft, -6.0);
        Conversation conversation = client.start("es");
        client.post(conversation, UUID.randomUUID(), "¿La garantía del patinete Volta " + marker + " cubre la batería?");
        JsonNode ticket = ticketOf(client, conversation, WidgetClient.TEST_ADMIN);
        // The assistant stops writing once it is sure the answer will not do: the draft is what it had by then.
        assertThat(draft).startsWith(ticket.path("botDraft").asString());
        assertThat(ticket.path("botDraft").asString()).startsWith("Quizá la garantía");
        Staff lucia = client.newStaff("Lucía", "AGENT");

        agent = Chromium.start();
        signIn(lucia);
        agent.driver.get(url("/agent/conversations/" + conversation.id()));

        WebElement why = agent.driver.findElement(By.xpath("//section[.//h2[contains(., 'Por qué llegó a la cola')]]"));
        assertThat(why.getText()).contains("Respuesta poco segura", "la respuesta no era segura");
        assertThat(why.getText()).containsPattern("Borrador del asistente \\(confianza 0,\\d\\d\\)");
        WebElement source = agent.driver.findElement(By.cssSelector("#draft-sources a.source-link"));
        assertThat(source.getText()).as(() -> "the article's passages: " + jdbc.queryForList(
                        "select p.text from knowledge_passages p join knowledge_articles a on a.id = p.article_id "
                                + "where a.title = ? order by p.position", String.class, title))
                .contains(title, "› Cobertura de la batería");
        assertThat(source.getAttribute("href")).contains("/agent/articles/").doesNotContain("/admin/knowledge");
        source.click();

        waitFor("the article", () -> !agent.driver.findElements(By.id("article-title")).isEmpty());
        assertThat(agent.driver.findElement(By.id("article-title")).getText()).isEqualTo(title);
        assertThat(agent.driver.findElement(By.id("article-body")).getText())
                .contains("La batería tiene dos años de garantía " + marker);
    }

    @Test
    void aReplyBeingTypedIsRestoredAfterTheSessionExpiresAndTheAgentSignsInAgain() {
        WidgetClient client = new WidgetClient(port);
        Staff pablo = client.newStaff("Pablo", "AGENT");
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        String ticketId = ticketOf(client, conversation, pablo.basic()).path("ticketId").asString();
        assertThat(client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, pablo.basic()).status())
                .isEqualTo(200);

        agent = Chromium.start();
        signIn(pablo);
        agent.driver.get(url("/agent/conversations/" + conversation.id()));
        String typed = "Hola, estoy revisando tu pedido " + UUID.randomUUID() + " y en un momento te digo";
        WebElement reply = agent.driver.findElement(By.id("reply-text"));
        reply.clear();
        reply.sendKeys(typed);

        // The session ends (expired on the server, so the browser's cookie no longer signs anyone in).
        agent.driver.manage().deleteCookieNamed(sessionCookie());
        agent.driver.navigate().refresh();
        waitFor("the sign-in page", () -> agent.driver.getCurrentUrl().contains("/login"));
        signInOnThisPage(pablo);

        waitFor("back on the conversation", () -> agent.driver.getCurrentUrl().endsWith("/agent/conversations/"
                + conversation.id()));
        assertThat(agent.driver.findElement(By.id("reply-text")).getAttribute("value")).isEqualTo(typed);
    }

    @Test
    void anAgentWhoseBrowserPrefersEnglishSeesTheConsoleInEnglish() {
        WidgetClient client = new WidgetClient(port);
        Staff ana = client.newStaff("Ana", "AGENT");
        Conversation conversation = client.start("es");
        client.escalate(conversation);

        agent = Chromium.start("en-GB");
        agent.driver.get(url("/login"));
        assertThat(agent.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Sign in");
        signInOnThisPage(ana);
        agent.driver.get(url("/agent"));
        assertThat(agent.driver.findElement(By.tagName("h1")).getText()).isEqualTo("Conversation queue");
        waitFor("the ticket", () -> !agent.driver.findElements(By.xpath(
                "//li[contains(@class,'ticket')][.//a[contains(@href,'" + conversation.id() + "')]]")).isEmpty());
        WebElement ticket = agent.driver.findElement(By.xpath(
                "//li[contains(@class,'ticket')][.//a[contains(@href,'" + conversation.id() + "')]]"));
        assertThat(ticket.getText()).contains("Asks for a person", "the customer asked for a person", "Take");
        ticket.findElement(By.cssSelector("button[type=submit]")).click();

        waitFor("the conversation", () -> !agent.driver.findElements(By.id("reply-text")).isEmpty());
        String page = agent.driver.findElement(By.tagName("main")).getText();
        assertThat(page).contains("Conversation", "Why it reached the queue", "Internal note", "Reply to the customer",
                "Hand back to the assistant", "Ana took the conversation.")
                .doesNotContain("Responder al cliente", "ha tomado la conversación");
        assertThat(agent.driver.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
    }

    @Test
    void onAPhoneTheQueueFitsTheScreenTheTicketIsTakenAndTheReplyBoxDoesNotZoom() {
        WidgetClient client = new WidgetClient(port);
        Staff eva = client.newStaff("Eva", "AGENT");
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        ticketOf(client, conversation, eva.basic());

        agent = Chromium.start();
        agent.driver.manage().window().setSize(new org.openqa.selenium.Dimension(360, 740));
        signIn(eva);
        agent.driver.get(url("/agent"));
        By ticket = By.xpath("//li[contains(@class,'ticket')][.//a[contains(@href,'" + conversation.id() + "')]]");
        waitFor("the ticket", () -> !agent.driver.findElements(ticket).isEmpty());
        assertThat(fitsTheScreen()).as("no sideways scrolling on a 360 px wide screen").isTrue();
        WebElement take = agent.driver.findElement(ticket).findElement(By.cssSelector("button[type=submit]"));
        assertThat(take.isDisplayed()).isTrue();
        assertThat(take.getRect().getX() + take.getRect().getWidth()).isLessThanOrEqualTo(viewportWidth());
        take.click();

        waitFor("the conversation", () -> !agent.driver.findElements(By.id("reply-text")).isEmpty());
        assertThat(fitsTheScreen()).as("the conversation fits too").isTrue();
        WebElement reply = agent.driver.findElement(By.id("reply-text"));
        assertThat(reply.getCssValue("font-size")).as("phones zoom into fields under 16 px").isEqualTo("16px");
        assertThat(reply.getRect().getX() + reply.getRect().getWidth()).isLessThanOrEqualTo(viewportWidth());
    }

    @Test
    void aNewTicketIsAnnouncedInTheTabTitleAndByANotificationWhileTheAgentLooksElsewhere() {
        WidgetClient client = new WidgetClient(port);
        Staff raul = client.newStaff("Raúl", "AGENT");
        agent = Chromium.start();
        signIn(raul);
        agent.driver.get(url("/agent"));
        waitFor("the live stream", () -> "connected".equals(agent.driver.findElement(By.tagName("main"))
                .getAttribute("data-live")));
        String title = agent.driver.getTitle();
        // The agent is in another tab, and allowed the queue's notifications (the browser's API records them).
        ((org.openqa.selenium.JavascriptExecutor) agent.driver).executeScript("""
                Object.defineProperty(document, 'hidden', {configurable: true, get: function () { return true; }});
                document.hasFocus = function () { return false; };
                window.notified = [];
                window.Notification = function (heading, options) { window.notified.push(heading + ': ' + options.body); };
                window.Notification.permission = 'granted';""");

        Conversation conversation = client.start("es");
        client.escalate(conversation);

        waitFor("the title to count the new ticket", () -> agent.driver.getTitle().matches("\\(\\d+\\) .*"));
        assertThat(agent.driver.getTitle()).endsWith(") " + title);
        assertThat(((org.openqa.selenium.JavascriptExecutor) agent.driver).executeScript("return window.notified"))
                .asString().contains("SoporteMax: Nueva conversación en la cola");
    }

    /**
     * The optional sound of a new ticket: off by default, so a new ticket makes none; once the agent ticks "Sonido"
     * (kept in the browser), the next one plays it. The test counts the tones the page starts through the Web Audio
     * API (OscillatorNode.start, wrapped in the page; the server is the real one).
     */
    @Test
    void aNewTicketPlaysTheSoundOnlyOnceTheAgentHasTurnedItOn() {
        WidgetClient client = new WidgetClient(port);
        Staff noa = client.newStaff("Noa", "AGENT");
        agent = Chromium.start();
        signIn(noa);
        agent.driver.get(url("/agent"));
        waitFor("the live stream", () -> "connected".equals(agent.driver.findElement(By.tagName("main"))
                .getAttribute("data-live")));
        String title = agent.driver.getTitle();
        agent.script("""
                Object.defineProperty(document, 'hidden', {configurable: true, get: function () { return true; }});
                document.hasFocus = function () { return false; };
                window.tones = 0;
                var start = OscillatorNode.prototype.start;
                OscillatorNode.prototype.start = function () { window.tones += 1; return start.apply(this, arguments); };""");
        WebElement sound = agent.driver.findElement(By.id("sound-toggle"));
        assertThat(sound.isSelected()).as("the sound is off until the agent turns it on").isFalse();

        client.escalate(client.start("es"));
        waitFor("the first new ticket announced", () -> agent.driver.getTitle().equals("(1) " + title));
        assertThat(agent.script("return window.tones;")).as("no sound while it is off").isEqualTo(0L);

        sound.click();
        assertThat(agent.script("return localStorage.getItem('smx-sound');")).isEqualTo("on");
        client.escalate(client.start("es"));
        waitFor("the second new ticket announced", () -> agent.driver.getTitle().equals("(2) " + title));
        assertThat(agent.script("return window.tones;")).as("one tone for the new ticket").isEqualTo(1L);
    }

    @Test
    void ctrlEnterSendsTheReplyToTheCustomer() {
        WidgetClient client = new WidgetClient(port);
        Staff iker = client.newStaff("Iker", "AGENT");
        Conversation conversation = client.start("es");
        client.escalate(conversation);
        String ticketId = ticketOf(client, conversation, iker.basic()).path("ticketId").asString();
        assertThat(client.send("POST", "/api/agent/tickets/" + ticketId + "/claim", null, iker.basic()).status())
                .isEqualTo(200);

        agent = Chromium.start();
        signIn(iker);
        agent.driver.get(url("/agent/conversations/" + conversation.id()));
        String text = "Te lo cambiamos sin coste, pedido " + UUID.randomUUID().toString().substring(0, 8);
        WebElement reply = agent.driver.findElement(By.id("reply-text"));
        reply.sendKeys(text);
        reply.sendKeys(org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, org.openqa.selenium.Keys.ENTER));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.messages(conversation, 0).json()
                .path("messages").valueStream().map(m -> m.path("text").asString())).contains(text));
        waitFor("the reply in the transcript", () -> agent.driver.findElement(By.id("transcript")).getText()
                .contains(text));
        waitFor("an empty reply box", () -> agent.driver.findElement(By.id("reply-text")).getAttribute("value")
                .isEmpty());
    }

    private boolean fitsTheScreen() {
        Object fits = ((org.openqa.selenium.JavascriptExecutor) agent.driver).executeScript(
                "return document.documentElement.scrollWidth <= window.innerWidth;");
        return Boolean.TRUE.equals(fits);
    }

    private int viewportWidth() {
        return ((Number) ((org.openqa.selenium.JavascriptExecutor) agent.driver).executeScript(
                "return window.innerWidth;")).intValue();
    }

    private void importArticle(WidgetClient client, String marker, String title) {
        String body = ("La garantía del patinete Volta %1$s dura dos años desde la compra.\\n\\n"
                + "## Cobertura de la batería\\n\\nLa batería tiene dos años de garantía %1$s si se carga con el "
                + "cargador original; la garantía del patinete Volta cubre la batería frente a defectos de fábrica.\\n\\n"
                + "## Exclusiones\\n\\nNo cubre golpes ni caídas.").formatted(marker);
        WidgetClient.Reply imported = client.send("POST", "/api/admin/knowledge/import", """
                [{"externalId":"volta-garantia-%s","title":"%s","tags":["garantía"],"body":"%s"}]"""
                .formatted(marker, title, body), WidgetClient.TEST_ADMIN);
        assertThat(imported.status()).as(imported.raw().body()).isBetween(200, 299);
    }

    private static JsonNode ticketOf(WidgetClient client, Conversation conversation, String authorization) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> client.queue(authorization).stream()
                .filter(t -> t.path("conversationId").asString().equals(conversation.id())).findFirst()
                .orElse(null), java.util.Objects::nonNull);
    }

    private String sessionCookie() {
        return agent.driver.manage().getCookies().stream().map(Cookie::getName)
                .filter(name -> name.toUpperCase(java.util.Locale.ROOT).contains("SESSION")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie: " + agent.driver.manage().getCookies()));
    }

    private void signIn(Staff staff) {
        agent.driver.get(url("/login"));
        signInOnThisPage(staff);
    }

    private void signInOnThisPage(Staff staff) {
        agent.driver.findElement(By.name("username")).sendKeys(staff.email());
        agent.driver.findElement(By.name("password")).sendKeys(WidgetClient.STAFF_PASSWORD);
        agent.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waitFor("signed in", () -> !agent.driver.getCurrentUrl().contains("/login"));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void waitFor(String what, BooleanSupplier condition) {
        new WebDriverWait(agent.driver, Duration.ofSeconds(30)).withMessage("waiting for " + what)
                .ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(driver -> condition.getAsBoolean());
    }
}
