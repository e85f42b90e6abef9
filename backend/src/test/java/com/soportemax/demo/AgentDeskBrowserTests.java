package com.soportemax.demo;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Staff;
import com.soportemax.escalation.internal.CannedReplies;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The desk end to end in two headless Chromium browsers: a customer in the demo shop and an agent in the console,
 * against the running application (no language model: the bot answers from the knowledge base).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDatabase.class)
class AgentDeskBrowserTests {

    @LocalServerPort
    int port;

    @Autowired
    CannedReplies cannedReplies;

    Chromium customer;
    Chromium agent;

    @BeforeAll
    static void chromiumInstalled() {
        Chromium.assumeInstalled();
    }

    @BeforeEach
    void openBrowsers() {
        customer = Chromium.start();
        agent = Chromium.start();
    }

    @AfterEach
    void closeBrowsers() {
        if (customer != null) {
            customer.close();
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    void aCustomerAsksForAPersonAndAnAgentAnswersNotesAndHandsBackToTheBot() {
        Staff lucia = new WidgetClient(port).newStaff("Lucía", "AGENT");
        String shortcut = "hola" + UUID.randomUUID().toString().substring(0, 6);
        cannedReplies.create("Saludo", "Hola, soy Lucía. Ya estoy con tu consulta.", "es", shortcut);

        signIn(lucia);
        agent.driver.get(url("/agent"));
        waitFor(agent, "the console's live stream", () -> "connected".equals(
                agent.driver.findElement(By.cssSelector("main[data-agent-page]")).getAttribute("data-live")));
        agent.script("window.sameDocument = true;");

        customer.driver.get(url("/demo"));
        waitFor(customer, "the widget", () -> !customer.driver.findElements(By.id("soportemax-widget")).isEmpty());
        widget().findElement(By.cssSelector(".smx-bubble")).click();
        WebElement input = widget().findElement(By.cssSelector("#smx-input"));
        // Other tests' tickets may say the same: this customer's words are their own, so the agent takes this one.
        String asked = "Quiero hablar con una persona, caso " + UUID.randomUUID().toString().substring(0, 8);
        input.sendKeys(asked);
        input.sendKeys(Keys.ENTER);

        // The widget switches to the hand-over at once: no typing dots left, one notice.
        waitFor(customer, "the hand-over", () -> textOf(".smx-subtitle").equals("Esperando a un agente"));
        waitFor(customer, "the server's notice", () -> noticesText().contains("Te pasamos con una persona"));
        assertThat(widget().findElement(By.cssSelector(".smx-typing")).isDisplayed()).isFalse();
        assertThat(widget().findElements(By.cssSelector(".smx-notice"))).hasSize(1);

        // Within a second the agent's queue shows it, without reloading the page.
        new WebDriverWait(agent.driver, Duration.ofSeconds(1)).until(driver -> !driver.findElements(
                By.xpath("//li[contains(@class,'ticket')][contains(., '" + asked + "')]")).isEmpty());
        assertThat(agent.script("return window.sameDocument === true;")).isEqualTo(true);

        // The queue is redrawn live: a button found a moment before a redraw is gone, so find it again and click.
        new WebDriverWait(agent.driver, Duration.ofSeconds(10))
                .ignoring(StaleElementReferenceException.class).until(driver -> {
                    driver.findElement(By.xpath("//li[contains(@class,'ticket')][contains(., '" + asked + "')]"
                            + "//button[contains(., 'Tomar')]")).click();
                    return true;
                });
        waitFor(agent, "the conversation page", () -> !agent.driver.findElements(By.id("note-text")).isEmpty());
        waitFor(customer, "the agent joined", () -> noticesText().contains("Lucía se ha unido"));

        String note = "Nota interna: cliente VIP " + UUID.randomUUID();
        agent.driver.findElement(By.id("note-text")).sendKeys(note);
        click(agent.driver.findElement(By.cssSelector("#note-form button[type=submit]")));
        waitFor(agent, "the note in the transcript", () -> agent.driver.findElement(By.id("transcript")).getText()
                .contains(note));

        WebElement reply = agent.driver.findElement(By.id("reply-text"));
        reply.clear();
        reply.sendKeys("/" + shortcut);
        reply.sendKeys(Keys.TAB);
        assertThat(reply.getAttribute("value")).isEqualTo("Hola, soy Lucía. Ya estoy con tu consulta.");
        reply.sendKeys(Keys.chord(Keys.CONTROL, Keys.ENTER));

        waitFor(customer, "the agent's reply", () -> !widget().findElements(By.cssSelector(".smx-agent .smx-text")).isEmpty());
        assertThat(textOf(".smx-agent .smx-text")).isEqualTo("Hola, soy Lucía. Ya estoy con tu consulta.");
        assertThat(textOf(".smx-agent .smx-author")).isEqualTo("Lucía");
        assertThat((String) customer.script("return arguments[0].shadowRoot.textContent;", host())).doesNotContain(note);

        waitFor(agent, "the conversation page after sending", () -> !agent.driver.findElements(By.id("handback")).isEmpty());
        click(agent.driver.findElement(By.id("handback")));
        waitFor(customer, "back with the assistant", () -> noticesText().contains("asistente virtual"));

        WebElement again = widget().findElement(By.cssSelector("#smx-input"));
        again.sendKeys("mi pago con tarjeta da error");
        again.sendKeys(Keys.ENTER);
        waitFor(customer, "the bot's answer", () -> !widget().findElements(
                By.cssSelector(".smx-bot[data-seq] .smx-sources")).isEmpty());
        assertThat(textOf(".smx-bot[data-seq] .smx-text")).contains("Mi pago con tarjeta");
        assertThat((String) customer.script("return arguments[0].shadowRoot.textContent;", host())).doesNotContain(note);
    }

    /** As an agent would: scrolled into the middle of the window first (the reply box stays docked at the bottom). */
    private void click(WebElement element) {
        agent.script("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
    }

    private void signIn(Staff staff) {
        agent.driver.get(url("/login"));
        agent.driver.findElement(By.name("username")).sendKeys(staff.email());
        agent.driver.findElement(By.name("password")).sendKeys(WidgetClient.STAFF_PASSWORD);
        agent.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waitFor(agent, "signed in", () -> !agent.driver.getCurrentUrl().contains("/login"));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private WebElement host() {
        return customer.driver.findElement(By.id("soportemax-widget"));
    }

    private SearchContext widget() {
        return customer.widget();
    }

    private String textOf(String selector) {
        return widget().findElement(By.cssSelector(selector)).getText().strip();
    }

    private String noticesText() {
        StringBuilder text = new StringBuilder();
        for (WebElement notice : widget().findElements(By.cssSelector(".smx-notice"))) {
            text.append(notice.getText()).append('\n');
        }
        return text.toString();
    }

    private static void waitFor(Chromium browser, String what, BooleanSupplier condition) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).withMessage("waiting for " + what)
                .ignoring(StaleElementReferenceException.class)
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .until(driver -> condition.getAsBoolean());
    }
}
