package com.soportemax.demo;

import com.soportemax.TestDatabase;
import com.soportemax.WidgetClient;
import com.soportemax.WidgetClient.Staff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;

import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server error (a bug: here a page and an API call of the running application that fail with an unexpected
 * exception) is, for an agent's browser, the product's own 500 page, styled and in the agent's language, with no
 * stack trace, exception name or JSON; for {@code /api/**}, also opened in that browser, a problem detail.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import({TestDatabase.class, ServerErrorBrowserTests.FailingPages.class})
class ServerErrorBrowserTests {

    static final String BUG = "index 7 out of bounds for the ticket list";

    /** A page and an API call with a bug in them, inside the real application. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FailingPages {
        @Bean
        Failing failing() {
            return new Failing();
        }
    }

    @Controller
    static class Failing {
        @GetMapping("/agent/broken-report")
        String page() {
            throw new ArrayIndexOutOfBoundsException(BUG);
        }

        @GetMapping("/api/agent/broken-report")
        @ResponseBody
        Map<String, String> api() {
            throw new ArrayIndexOutOfBoundsException(BUG);
        }
    }

    @LocalServerPort
    int port;

    Chromium browser;

    @BeforeAll
    static void chromiumInstalled() {
        Chromium.assumeInstalled();
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void aFailingPageShowsTheProductsErrorPageInSpanishAndTheApiAProblemDetail() {
        Staff agent = new WidgetClient(port).newStaff("Marta", "AGENT");
        browser = Chromium.start("es");
        signIn(agent);

        browser.driver.get(url("/agent/broken-report"));

        assertErrorPage("Algo ha fallado por nuestra parte", "No se ha perdido nada de lo guardado", "Ir al inicio");
        assertApiProblem(agent, "/api/agent/broken-report");
    }

    @Test
    void anAgentWhoseBrowserPrefersEnglishGetsTheErrorPageInEnglish() {
        Staff agent = new WidgetClient(port).newStaff("Grace", "AGENT");
        browser = Chromium.start("en");
        signIn(agent);

        browser.driver.get(url("/agent/broken-report"));

        assertErrorPage("Something failed on our side", "Nothing saved was lost", null);
    }

    private void assertErrorPage(String heading, String text, String homeLink) {
        waitFor("the error page", () -> !browser.driver.findElements(By.cssSelector("main.error-page")).isEmpty());
        assertThat(browser.driver.findElement(By.cssSelector(".error-code")).getText()).isEqualTo("500");
        assertThat(browser.driver.findElement(By.tagName("h1")).getText()).isEqualTo(heading);
        String page = browser.driver.findElement(By.tagName("body")).getText();
        assertThat(page).contains(text)
                .doesNotContain(BUG, "Exception", "at com.", "at org.", "Whitelabel", "\"status\"", "{");
        if (homeLink != null) {
            assertThat(browser.driver.findElement(By.cssSelector("main.error-page a.button")).getText()).isEqualTo(homeLink);
        }
        // The product's style sheet is applied: the page is not the browser's unstyled default.
        assertThat(browser.script("""
                return Array.from(document.styleSheets).some(function (sheet) {
                  return sheet.href && sheet.href.indexOf('/css/admin.css') >= 0 && sheet.cssRules.length > 0; });"""))
                .isEqualTo(true);
        assertThat(browser.script("return getComputedStyle(document.body).fontFamily;")).asString()
                .isNotEqualTo("\"Times New Roman\"");
        assertThat(browser.driver.getPageSource()).doesNotContain(BUG, "Exception");
    }

    /**
     * The API, called from the same browser (it takes Basic credentials, never the session cookie), as a script
     * asks (JSON) and as a page would (HTML first): a problem detail either way, never the HTML page.
     */
    private void assertApiProblem(Staff agent, String path) {
        for (String accept : new String[]{"application/json", "text/html,application/xhtml+xml,*/*;q=0.8"}) {
            @SuppressWarnings("unchecked")
            Map<String, Object> answer = (Map<String, Object>) browser.driver.executeAsyncScript("""
                    var done = arguments[arguments.length - 1];
                    fetch(arguments[0], {headers: {'Authorization': arguments[1], 'Accept': arguments[2]}})
                      .then(function (r) { return r.text().then(function (body) {
                        done({status: r.status, type: r.headers.get('Content-Type'), body: body}); }); })
                      .catch(function (e) { done({status: -1, body: String(e)}); });""", path, agent.basic(), accept);
            assertThat(answer.get("status")).as("Accept: %s", accept).isEqualTo(500L);
            assertThat((String) answer.get("type")).as("Accept: %s", accept).startsWith("application/problem+json");
            assertThat((String) answer.get("body")).as("Accept: %s", accept).contains("\"status\":500", "\"title\"")
                    .doesNotContain(BUG, "Exception", "at com.", "trace", "error-page");
        }
    }

    private void signIn(Staff staff) {
        browser.driver.get(url("/login"));
        browser.driver.findElement(By.name("username")).sendKeys(staff.email());
        browser.driver.findElement(By.name("password")).sendKeys(WidgetClient.STAFF_PASSWORD);
        browser.driver.findElement(By.cssSelector("form button[type=submit]")).click();
        waitFor("signed in", () -> !browser.driver.getCurrentUrl().contains("/login"));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private void waitFor(String what, BooleanSupplier condition) {
        new WebDriverWait(browser.driver, Duration.ofSeconds(30)).withMessage("waiting for " + what)
                .ignoring(StaleElementReferenceException.class)
                .until(driver -> condition.getAsBoolean());
    }
}
