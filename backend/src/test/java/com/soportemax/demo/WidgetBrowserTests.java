package com.soportemax.demo;

import com.soportemax.TestDatabase;
import com.soportemax.assistant.ScriptedLanguageModel;
import com.soportemax.chat.ConversationDesk;
import com.soportemax.chat.ConversationId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The customer's side end to end: the demo shop at /demo with the widget embedded by its one-line snippet, in a real
 * headless Chromium, against the running application (chat, knowledge retrieval, the answer pipeline with a scripted
 * language model, PostgreSQL).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestDatabase.class, WidgetBrowserTests.ScriptedEngine.class})
class WidgetBrowserTests {

    private static final String ARTICLE_TITLE = "Cambiar la correa del patinete Zumba Z3";
    // Several sentences: the widget shows the answer only as the assistant's checks release it, about a sentence
    // behind the model, so a one-sentence answer would arrive whole.
    private static final String ANSWER = "Para cambiar la correa del patinete Zumba Z3, apaga el patinete, retira los "
            + "cuatro tornillos de la tapa lateral, coloca la correa nueva y vuelve a atornillar la tapa. Antes de "
            + "cerrar, comprueba que la correa queda bien tensa y centrada en la polea, sin roces con la tapa. "
            + "Después enciende el patinete y haz girar la rueda trasera unos segundos: si oyes un ruido o la "
            + "correa se sale, vuelve a colocarla o escríbenos y te ayudamos.";

    @LocalServerPort
    int port;

    @Autowired
    ConversationDesk desk;

    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Autowired
    ScriptedLanguageModel model;

    Chromium browser;

    @BeforeAll
    static void chromiumInstalled() {
        Chromium.assumeInstalled();
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Chromium.start();
        importArticle();
        // Slow enough for the browser to watch the answer grow, fast enough for a quick test.
        model.reset().answer(ANSWER, -0.05).delayPerToken(Duration.ofMillis(120));
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void answersAQuestionTokenByTokenWithItsSourceAndKeepsTheConversationAfterAReload() {
        openDemoWidget("/demo");
        ask("¿Cómo cambio la correa del patinete Zumba Z3?");

        List<String> observed = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean complete = false;
        while (!complete && System.nanoTime() < deadline) {
            complete = !widget().findElements(By.cssSelector(".smx-bot[data-seq] .smx-sources")).isEmpty();
            String text = (String) browser.script("""
                    const bot = arguments[0].shadowRoot.querySelector('.smx-bot[data-seq] .smx-text');
                    return bot ? bot.textContent : null;""", host());
            if (text != null && !text.isEmpty() && (observed.isEmpty() || !observed.getLast().equals(text))) {
                observed.add(text);
            }
            sleep(15);
        }

        assertThat(observed).as("the answer as the customer saw it over time, sentence by sentence").hasSizeGreaterThanOrEqualTo(3);
        for (int i = 1; i < observed.size(); i++) {
            assertThat(observed.get(i)).as("the answer only grows").startsWith(observed.get(i - 1));
        }
        assertThat(observed.getLast()).isEqualTo(ANSWER);
        assertThat(textOf(".smx-bot[data-seq] .smx-sources")).contains(ARTICLE_TITLE);

        browser.navigate().refresh();
        waitFor("the conversation reloaded", () -> !widget().findElements(By.cssSelector(".smx-bot[data-seq] .smx-sources")).isEmpty());
        if (!widget().findElement(By.cssSelector(".smx-panel")).isDisplayed()) {
            widget().findElement(By.cssSelector(".smx-bubble")).click();
        }
        assertThat(textOf(".smx-customer[data-seq] .smx-text")).isEqualTo("¿Cómo cambio la correa del patinete Zumba Z3?");
        assertThat(textOf(".smx-bot[data-seq] .smx-text")).isEqualTo(ANSWER);
        assertThat(textOf(".smx-bot[data-seq] .smx-sources")).contains(ARTICLE_TITLE);
    }

    @Test
    void ratesAnAnswerThumbsDownWithAReasonWhichTheReviewerThenReads() {
        model.reset().answer(ANSWER, -0.05);
        openDemoWidget("/demo");
        ask("¿Cómo cambio la correa del patinete Zumba Z3?");
        waitFor("the answer with its thumbs",
                () -> !widget().findElements(By.cssSelector(".smx-bot[data-seq] .smx-thumb[data-helpful='false']")).isEmpty());

        widget().findElement(By.cssSelector(".smx-bot[data-seq] .smx-thumb[data-helpful='false']")).click();
        WebElement reason = widget().findElement(By.cssSelector(".smx-bot[data-seq] .smx-feedback-reason input"));
        waitFor("the box asking why", reason::isDisplayed);
        reason.sendKeys("No dice qué tornillos usar");
        reason.sendKeys(Keys.ENTER);
        waitFor("the thanks", () -> textOf(".smx-bot[data-seq] .smx-feedback-status").equals("¡Gracias por tu opinión!")
                && !widget().findElement(By.cssSelector(".smx-bot[data-seq] .smx-feedback-reason")).isDisplayed());
        assertThat(widget().findElement(By.cssSelector(".smx-bot[data-seq] .smx-thumb[data-helpful='false']"))
                .getAttribute("aria-pressed")).isEqualTo("true");

        ConversationId conversation = conversationInBrowser();
        assertThat(jdbc.queryForMap("select helpful, reason from answer_feedback where conversation_id = ?",
                conversation.value())).containsEntry("helpful", false).containsEntry("reason", "No dice qué tornillos usar");
    }

    @Test
    void handsOverToAPersonWhenTheAssistantIsUnsureAndWithdrawsItsDraft() {
        model.answer("Creo que quizá debas mirar el manual, aunque no estoy seguro.", -6.0)
                .delayPerToken(Duration.ofMillis(40));
        openDemoWidget("/demo");
        ask("¿Cómo cambio la correa del patinete Zumba Z3?");

        waitFor("the hand-over notice", () -> noticesText().contains("Te pasamos con una persona"));
        waitFor("the doubtful draft withdrawn", () -> widget().findElements(By.cssSelector(".smx-bot[data-seq]")).isEmpty());
        assertThat(textOf(".smx-subtitle")).isEqualTo("Esperando a un agente");
        assertThat(widget().findElement(By.cssSelector(".smx-typing")).isDisplayed()).isFalse();
    }

    @Test
    void showsMarkupThatCustomersAndAgentsTypeAsPlainText() {
        String markup = "<img src=x onerror=alert(1)>";
        openDemoWidget("/demo");
        // Waiting for a person, so the assistant stays out of this conversation.
        widget().findElement(By.cssSelector(".smx-human")).click();
        waitFor("the hand-over notice", () -> !noticesText().isEmpty());
        ask(markup);
        waitFor("the message stored", () -> !widget().findElements(By.cssSelector(".smx-customer[data-seq]")).isEmpty());

        desk.assignAgent(conversationInBrowser(), "Laura");
        desk.postAgentMessage(conversationInBrowser(), "Laura", "<b>Hola</b>, te ayudo <script>alert(2)</script>\n"
                + "- **<img src=y onerror=alert(3)>**");
        waitFor("the agent's reply", () -> !widget().findElements(By.cssSelector(".smx-agent .smx-text")).isEmpty());

        assertThat(textOf(".smx-customer[data-seq] .smx-text")).isEqualTo(markup);
        assertThat(textOf(".smx-agent .smx-text p")).isEqualTo("<b>Hola</b>, te ayudo <script>alert(2)</script>");
        assertThat(textOf(".smx-agent .smx-text li strong"))
                .as("Markdown emphasis is formatting, its content still text").isEqualTo("<img src=y onerror=alert(3)>");
        assertThat(widget().findElements(By.cssSelector(".smx-log img, .smx-log b, .smx-log script"))).isEmpty();
        assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        browser.navigate().refresh();
        waitFor("the history reloaded", () -> !widget().findElements(By.cssSelector(".smx-agent .smx-text")).isEmpty());
        assertThat(textOf(".smx-customer[data-seq] .smx-text")).isEqualTo(markup);
        assertThat(widget().findElements(By.cssSelector(".smx-log img, .smx-log b, .smx-log script"))).isEmpty();
        assertThatThrownBy(() -> browser.driver.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
    }

    @Test
    void handsTheConversationToAPersonThenShowsTheAgentLiveAndAsksForARatingAtTheEnd() {
        openDemoWidget("/demo");
        WebElement human = widget().findElement(By.cssSelector(".smx-human"));
        assertThat(human.getText()).isEqualTo("Hablar con una persona");
        human.click();

        waitFor("the hand-over notice", () -> noticesText().contains("Te pasamos con una persona"));
        assertThat(textOf(".smx-subtitle")).isEqualTo("Esperando a un agente");
        assertThat(human.isDisplayed()).isFalse();

        ConversationId conversation = conversationInBrowser();
        desk.assignAgent(conversation, "Laura");
        waitFor("the agent-joined notice", () -> noticesText().contains("Laura se ha unido"));
        widget().findElement(By.cssSelector("#smx-input")).sendKeys(Keys.ESCAPE);
        desk.postAgentMessage(conversation, "Laura", "Hola, soy Laura. ¿En qué te puedo ayudar?");
        WebElement bubble = widget().findElement(By.cssSelector(".smx-bubble"));
        waitFor("the unread badge", () -> widget().findElement(By.cssSelector(".smx-badge")).isDisplayed());
        assertThat(textOf(".smx-badge")).isEqualTo("1");
        assertThat(bubble.getAttribute("aria-label")).isEqualTo("Abrir el chat de ayuda (1 mensaje nuevo)");
        bubble.click();
        waitFor("the agent's reply", () -> widget().findElement(By.cssSelector(".smx-agent .smx-text")).isDisplayed());
        assertThat(widget().findElement(By.cssSelector(".smx-badge")).isDisplayed()).isFalse();
        assertThat(textOf(".smx-agent .smx-author")).isEqualTo("Laura");
        assertThat(textOf(".smx-agent .smx-text")).isEqualTo("Hola, soy Laura. ¿En qué te puedo ayudar?");

        desk.close(conversation);
        waitFor("the rating form", () -> widget().findElement(By.cssSelector(".smx-rating")).isDisplayed());
        widget().findElement(By.cssSelector(".smx-star[data-score='4']")).click();
        widget().findElement(By.cssSelector("#smx-rating-comment")).sendKeys("Muy amable");
        widget().findElement(By.cssSelector(".smx-rating .smx-primary")).click();
        waitFor("the thanks", () -> widget().findElement(By.cssSelector(".smx-rating-thanks")).isDisplayed());
        assertThat(textOf(".smx-rating-thanks")).isEqualTo("¡Gracias por tu valoración!");
    }

    @Test
    void forgetsTheConversationOnThisBrowserAndTheServerNoLongerAcceptsItsToken() throws Exception {
        openDemoWidget("/demo");
        widget().findElement(By.cssSelector(".smx-human")).click();
        waitFor("the hand-over notice", () -> !noticesText().isEmpty());
        ask("Mi dirección es Calle Mayor 5, no la quiero en este ordenador");
        waitFor("the message stored", () -> !widget().findElements(By.cssSelector(".smx-customer[data-seq]")).isEmpty());
        ConversationId conversation = conversationInBrowser();
        String token = storedToken();

        widget().findElement(By.cssSelector(".smx-forget")).click();
        browser.driver.switchTo().alert().accept();
        waitFor("the conversation gone from the widget",
                () -> widget().findElements(By.cssSelector(".smx-customer")).isEmpty());
        assertThat(textOf(".smx-alert")).isEqualTo("Hemos borrado la conversación de este navegador.");
        assertThat(storageKeys()).as("nothing of the conversation left in the browser's storage")
                .noneMatch(key -> key.startsWith("soportemax."));
        waitFor("the token revoked on the server", () -> widgetStatus(conversation, token) == 401);

        browser.navigate().refresh();
        waitFor("the chat bubble", () -> widget().findElement(By.cssSelector(".smx-bubble")).isDisplayed());
        widget().findElement(By.cssSelector(".smx-bubble")).click();
        assertThat(widget().findElements(By.cssSelector(".smx-customer, .smx-notice"))).isEmpty();
        assertThat(textOf(".smx-subtitle")).isEqualTo("Asistente virtual · 24 h");
    }

    @Test
    void dropsAClosedConversationFromTheBrowsersStorageAndStillTakesTheRating() {
        openDemoWidget("/demo");
        widget().findElement(By.cssSelector(".smx-human")).click();
        waitFor("the hand-over notice", () -> !noticesText().isEmpty());
        ConversationId conversation = conversationInBrowser();

        desk.close(conversation);
        waitFor("the rating form", () -> widget().findElement(By.cssSelector(".smx-rating")).isDisplayed());
        assertThat(storageKeys()).as("a closed conversation leaves the browser's storage")
                .noneMatch(key -> key.startsWith("soportemax.widget:") && !key.contains(":open"));
        widget().findElement(By.cssSelector(".smx-star[data-score='5']")).click();
        widget().findElement(By.cssSelector(".smx-rating .smx-primary")).click();
        waitFor("the thanks", () -> widget().findElement(By.cssSelector(".smx-rating-thanks")).isDisplayed());
        assertThat(storageKeys()).as("rating does not bring it back")
                .noneMatch(key -> key.startsWith("soportemax.widget:") && !key.contains(":open"));

        browser.navigate().refresh();
        waitFor("the chat bubble", () -> widget().findElement(By.cssSelector(".smx-bubble")).isDisplayed());
        widget().findElement(By.cssSelector(".smx-bubble")).click();
        waitFor("an empty widget ready for a new conversation", () -> widget().findElement(By.cssSelector("#smx-input")).isDisplayed());
        assertThat(widget().findElements(By.cssSelector(".smx-notice, .smx-rating-thanks"))).noneMatch(WebElement::isDisplayed);
    }

    @Test
    void asksTheCustomerToSlowDownAndSendsTheSameMessageOnceOnRetry() throws InterruptedException {
        openDemoWidget("/demo");
        widget().findElement(By.cssSelector(".smx-human")).click(); // no bot answers: only the customer's pace counts
        waitFor("the hand-over notice", () -> !noticesText().isEmpty());

        // The chat allows 10 messages per conversation and minute (soportemax.chat.messages).
        for (int i = 1; i <= 11; i++) {
            ask("Mensaje número " + i);
        }
        waitFor("a message refused", () -> !widget().findElements(By.cssSelector(".smx-customer.smx-failed")).isEmpty());
        WebElement refused = widget().findElement(By.cssSelector(".smx-customer.smx-failed"));
        String refusedText = refused.findElement(By.cssSelector(".smx-text")).getText();
        assertThat(textOf(".smx-alert")).contains("Has enviado muchos mensajes seguidos").contains("Espera");
        assertThat(refused.getText()).contains("No se ha enviado.").contains("Reintentar");

        Thread.sleep(7_500); // Retry-After: one message more is allowed every 6 s
        refused.findElement(By.cssSelector(".smx-status button")).click();
        waitFor("the retried message stored", () -> widget().findElements(By.cssSelector(".smx-customer.smx-failed")).isEmpty()
                && widget().findElements(By.cssSelector(".smx-customer[data-seq]")).size() == 11);

        browser.navigate().refresh();
        waitFor("the history reloaded", () -> widget().findElements(By.cssSelector(".smx-customer[data-seq]")).size() == 11);
        assertThat(widget().findElements(By.cssSelector(".smx-customer .smx-text")).stream().map(WebElement::getText)
                .filter(refusedText::equals)).as("sent once, though tried twice").hasSize(1);
    }

    @Test
    void keepsAMessageWrittenWhileOfflineAndSendsItOnceWhenTheCustomerRetries() {
        openDemoWidget("/demo");
        widget().findElement(By.cssSelector(".smx-human")).click();
        waitFor("the hand-over notice", () -> !noticesText().isEmpty());

        browser.driver.setNetworkConditions(new ChromiumNetworkConditions().setOffline(true));
        ask("¿Seguís ahí? Se me ha cortado la conexión");
        waitFor("the message marked as not sent",
                () -> !widget().findElements(By.cssSelector(".smx-customer.smx-failed")).isEmpty());
        assertThat(textOf(".smx-alert")).contains("Sin conexión");
        assertThat(textOf(".smx-customer.smx-failed")).contains("¿Seguís ahí? Se me ha cortado la conexión", "Reintentar");

        browser.driver.deleteNetworkConditions();
        widget().findElement(By.cssSelector(".smx-customer.smx-failed .smx-status button")).click();
        waitFor("the message stored", () -> widget().findElements(By.cssSelector(".smx-customer.smx-failed")).isEmpty()
                && !widget().findElements(By.cssSelector(".smx-customer[data-seq]")).isEmpty());

        browser.navigate().refresh();
        // Shown once the widget's stylesheet has loaded too (until then the widget is hidden and its text reads empty).
        waitFor("the history reloaded and shown", () -> widget().findElements(By.cssSelector(".smx-customer[data-seq]"))
                .stream().anyMatch(WebElement::isDisplayed));
        assertThat(widget().findElements(By.cssSelector(".smx-customer .smx-text")).stream().map(WebElement::getText))
                .containsExactly("¿Seguís ahí? Se me ha cortado la conexión");
    }

    @Test
    void keepsItsLookOnAPageWithCarelessGlobalStyles() {
        browser.driver.get("http://localhost:" + port + "/demo");
        browser.script("""
                const style = document.createElement('style');
                style.textContent = 'body { color: red; font: 30px/3 serif; letter-spacing: 4px; } '
                    + 'div, section, button, p, span, form { display: none !important; padding: 40px !important; }';
                document.head.appendChild(style);""");
        waitFor("the chat bubble", () -> widget().findElement(By.cssSelector(".smx-bubble")).isDisplayed());
        widget().findElement(By.cssSelector(".smx-bubble")).click();
        waitFor("the open panel", () -> widget().findElement(By.cssSelector(".smx-panel")).isDisplayed());

        assertThat(widget().findElement(By.cssSelector(".smx-bubble")).getSize().getWidth()).isEqualTo(60);
        WebElement title = widget().findElement(By.cssSelector(".smx-title"));
        assertThat(title.getCssValue("font-family")).startsWith("system-ui");
        assertThat(title.getCssValue("font-size")).isEqualTo("16px");
        WebElement welcome = widget().findElement(By.cssSelector(".smx-welcome .smx-text"));
        assertThat(welcome.getCssValue("letter-spacing")).isIn("normal", "0px");
        assertThat(welcome.getCssValue("color")).isNotEqualTo("rgba(255, 0, 0, 1)");
    }

    @Test
    void speaksEnglishWhenEmbeddedSoClosesWithEscapeAndOpensFromTheSitesOwnButton() {
        openDemoWidget("/demo?lang=en");
        assertThat(textOf(".smx-human")).isEqualTo("Talk to a person");
        assertThat(widget().findElement(By.cssSelector("#smx-input")).getAttribute("placeholder"))
                .isEqualTo("Type your question…");

        widget().findElement(By.cssSelector("#smx-input")).sendKeys(Keys.ESCAPE);
        assertThat(widget().findElement(By.cssSelector(".smx-panel")).isDisplayed()).as("Esc closes the panel").isFalse();
        assertThat(widget().findElement(By.cssSelector(".smx-bubble")).getAttribute("aria-expanded")).isEqualTo("false");
        assertThat(widget().findElement(By.cssSelector(".smx-bubble")))
                .as("closing gives the focus back to the bubble")
                .isEqualTo(browser.script("return arguments[0].shadowRoot.activeElement", host()));

        browser.driver.findElement(By.id("abrir-chat")).click();
        waitFor("the panel opened by the shop's own button",
                () -> widget().findElement(By.cssSelector(".smx-panel")).isDisplayed());
    }

    @Test
    void finalizarAsksForConfirmationAndEndsTheConversationOnlyWhenTheCustomerAgrees() {
        openDemoWidget("/demo");
        ask("¿Cómo cambio la correa del patinete Zumba Z3?");
        waitFor("the answer", () -> !widget().findElements(By.cssSelector(".smx-bot[data-seq] .smx-sources")).isEmpty());
        ConversationId conversation = conversationInBrowser();
        WebElement end = widget().findElements(By.cssSelector("button.smx-quiet")).stream()
                .filter(button -> button.getText().equals("Finalizar")).findFirst().orElseThrow();

        end.click();
        org.openqa.selenium.Alert asked = new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent());
        assertThat(asked.getText()).isEqualTo(
                "¿Finalizar la conversación? Podrás valorarla y empezar otra cuando quieras.");
        asked.dismiss();

        assertThat(desk.state(conversation)).as("cancelled: the conversation goes on")
                .isNotEqualTo(com.soportemax.chat.ConversationState.CLOSED);
        assertThat(widget().findElements(By.cssSelector(".smx-rating")).stream().noneMatch(WebElement::isDisplayed))
                .isTrue();

        end.click();
        new WebDriverWait(browser.driver, Duration.ofSeconds(10))
                .until(org.openqa.selenium.support.ui.ExpectedConditions.alertIsPresent()).accept();
        waitFor("the rating form", () -> widget().findElement(By.cssSelector(".smx-rating")).isDisplayed());
        assertThat(desk.state(conversation)).isEqualTo(com.soportemax.chat.ConversationState.CLOSED);
    }

    @Test
    void aLongAnswerOpensAtItsBeginningNotAtItsLastLine() {
        // On a phone the conversation's window is short: the answer is taller than it.
        browser.driver.manage().window().setSize(new org.openqa.selenium.Dimension(360, 640));
        model.reset().answer(ANSWER, -0.05).delayPerToken(Duration.ofMillis(5));
        openDemoWidget("/demo");
        ask("¿Cómo cambio la correa del patinete Zumba Z3?");
        waitFor("the whole answer", () -> !widget().findElements(By.cssSelector(".smx-bot[data-seq] .smx-sources")).isEmpty());

        @SuppressWarnings("unchecked")
        java.util.List<Number> place = (java.util.List<Number>) browser.script("""
                const root = arguments[0].shadowRoot;
                const log = root.querySelector('.smx-log');
                const answers = root.querySelectorAll('.smx-bot[data-seq]');
                const answer = answers[answers.length - 1];
                const top = answer.getBoundingClientRect().top - log.getBoundingClientRect().top;
                return [top, answer.offsetHeight, log.clientHeight,
                        log.scrollHeight - log.clientHeight - log.scrollTop];""", host());
        assertThat(place.get(1).doubleValue()).as("the answer is taller than the conversation's window")
                .isGreaterThan(place.get(2).doubleValue());
        assertThat(place.get(0).doubleValue()).as("its first line is at the top of the window")
                .isBetween(0.0, 40.0);
        assertThat(place.get(3).doubleValue()).as("not scrolled to its end").isGreaterThan(20.0);
    }

    // ------------------------------------------------------------------ steps

    private void openDemoWidget(String path) {
        browser.driver.get("http://localhost:" + port + path);
        waitFor("the chat bubble", () -> widget().findElement(By.cssSelector(".smx-bubble")).isDisplayed());
        widget().findElement(By.cssSelector(".smx-bubble")).click();
        WebElement input = widget().findElement(By.cssSelector("#smx-input"));
        waitFor("the open panel", input::isDisplayed);
        assertThat(input).as("opening the panel puts the focus in the message box")
                .isEqualTo(browser.script("return arguments[0].shadowRoot.activeElement", host()));
    }

    private void ask(String question) {
        WebElement input = widget().findElement(By.cssSelector("#smx-input"));
        input.sendKeys(question);
        input.sendKeys(Keys.ENTER);
        waitFor("the question in the conversation", () -> widget().findElements(By.cssSelector(".smx-customer .smx-text"))
                .stream().anyMatch(message -> message.getText().equals(question)));
        assertThat(input.getAttribute("value")).as("Enter sent the message and emptied the box").isEmpty();
    }

    private ConversationId conversationInBrowser() {
        String stored = (String) browser.script("""
                const key = Object.keys(localStorage).find(k => k.startsWith('soportemax.widget:') && !k.includes(':open'));
                return key ? JSON.parse(localStorage.getItem(key)).conversationId : null;""");
        assertThat(stored).as("the widget keeps its conversation in the browser's storage").isNotNull();
        return ConversationId.parse(stored);
    }

    private String storedToken() {
        return (String) browser.script("""
                const key = Object.keys(localStorage).find(k => k.startsWith('soportemax.widget:') && !k.includes(':open'));
                return key ? JSON.parse(localStorage.getItem(key)).token : null;""");
    }

    @SuppressWarnings("unchecked")
    private List<String> storageKeys() {
        return (List<String>) browser.script("return Object.keys(localStorage).concat(Object.keys(sessionStorage));");
    }

    private int widgetStatus(ConversationId conversation, String token) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/widget/conversations/" + conversation + "/messages"))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException("the widget API did not answer", e);
        }
    }

    private void importArticle() throws Exception {
        String articles = """
                [{"externalId":"zumba-z3-correa","title":"%s","tags":["patinetes","reparaciones"],
                  "body":"Para cambiar la correa del patinete Zumba Z3: apaga el patinete, retira los cuatro tornillos \
                de la tapa lateral, coloca la correa nueva y vuelve a atornillar la tapa. La correa de repuesto del \
                Zumba Z3 se vende en la tienda."}]""".formatted(ARTICLE_TITLE);
        String basic = Base64.getEncoder().encodeToString("admin@soportemax.test:test-admin-password"
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/admin/knowledge/import"))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(articles)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 299);
    }

    // ------------------------------------------------------------------ reading the widget

    private WebElement host() {
        return browser.driver.findElement(By.id("soportemax-widget"));
    }

    private SearchContext widget() {
        return browser.widget();
    }

    private String textOf(String css) {
        return widget().findElement(By.cssSelector(css)).getText();
    }

    private String noticesText() {
        return String.join("\n", widget().findElements(By.cssSelector(".smx-notice")).stream().map(WebElement::getText).toList());
    }

    private void waitFor(String what, BooleanSupplier condition) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(30))
                .withMessage(() -> "waiting for " + what)
                .ignoring(NoSuchElementException.class)
                .ignoring(StaleElementReferenceException.class)
                .until(driver -> condition.getAsBoolean());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while watching the answer stream", e);
        }
    }

    /** The assistant's language model, scripted by each test. */
    @TestConfiguration(proxyBeanMethods = false)
    static class ScriptedEngine {
        @Bean
        ScriptedLanguageModel scriptedLanguageModel() {
            return new ScriptedLanguageModel();
        }
    }
}
