package com.soportemax.demo;

import com.soportemax.AdminTest;
import com.soportemax.ConversationFixture;
import com.soportemax.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** An admin reviews in a real browser: filters, labels with a correction, approves, downloads, reads the dashboard. */
@AdminTest
class AdminReviewBrowserTests {

    private static final Instant DAY = Instant.parse("2020-06-01T00:00:00Z");

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MutableClock clock;

    Chromium browser;
    ConversationFixture.Builder hammocks;
    ConversationFixture.Builder shipping;

    @BeforeAll
    static void chromium() {
        Chromium.assumeInstalled();
    }

    @BeforeEach
    void start() {
        clock.set(DAY.plus(Duration.ofDays(5)));
        jdbc.update("delete from conversations where created_at >= ? and created_at < ?", Timestamp.from(DAY),
                Timestamp.from(DAY.plus(Duration.ofDays(1))));
        ConversationFixture fixture = new ConversationFixture(jdbc);
        hammocks = fixture.conversation(DAY.plus(Duration.ofHours(10)), "es")
                .customer(Duration.ZERO, "¿Las hamacas se pueden dejar fuera en invierno?")
                .bot(Duration.ofSeconds(3), "Sí, aguantan cualquier clima sin problema.", 0.62)
                .thumbs(2, false);
        shipping = fixture.conversation(DAY.plus(Duration.ofHours(11)), "es")
                .customer(Duration.ZERO, "¿Cuánto cuesta el envío?")
                .bot(Duration.ofSeconds(2), "El envío es gratis desde 50 €.", 0.9);
        fixture.conversation(DAY.plus(Duration.ofHours(12)), "es")
                .customer(Duration.ZERO, "Quiero una persona")
                .escalate(Duration.ofSeconds(2), "CUSTOMER_REQUEST", "", 0.0)
                .agent(Duration.ofSeconds(40), "Lucía", "Hola, dime.");
        browser = Chromium.start();
    }

    @AfterEach
    void stop() {
        if (browser != null) browser.close();
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    private WebDriverWait waiting() {
        // htmx swaps the status elements: one may be replaced between finding it and reading it.
        WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(15));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait;
    }

    private void signIn() {
        browser.navigate().to(url("/login"));
        browser.driver.findElement(By.id("username")).sendKeys("admin@soportemax.test");
        browser.driver.findElement(By.id("password")).sendKeys("test-admin-password");
        browser.driver.findElement(By.cssSelector("button[type=submit]")).click();
        waiting().until(driver -> !driver.getCurrentUrl().contains("/login"));
    }

    private void setDate(String selector, String value) {
        browser.script("document.querySelector(arguments[0]).value = arguments[1];", selector, value);
    }

    @Test
    void anAdminFiltersLabelsWithACorrectionApprovesAndDownloadsThePair() {
        signIn();
        browser.navigate().to(url("/admin/transcripts"));
        browser.driver.findElement(By.name("q")).sendKeys("hamaca invierno");
        setDate("#filters input[name=from]", "2020-06-01");
        setDate("#filters input[name=to]", "2020-06-01");
        browser.driver.findElement(By.cssSelector("#filters button[type=submit]")).click();
        waiting().until(driver -> driver.findElement(By.id("result-count")).getText().startsWith("1 "));
        browser.driver.findElement(By.linkText("¿Las hamacas se pueden dejar fuera en invierno?")).click();
        waiting().until(driver -> driver.getCurrentUrl().contains("/admin/transcripts/" + hammocks.id));

        Actions keys = new Actions(browser.driver);
        keys.sendKeys("j").perform();
        WebElement answer = browser.driver.findElement(By.cssSelector("article.entry-current"));
        assertThat(answer.getText()).contains("aguantan cualquier clima");
        keys.sendKeys("c").perform();
        browser.driver.switchTo().activeElement().sendKeys("Mejor guárdalas en invierno: la lona se estropea con la helada.");
        browser.driver.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        keys.sendKeys("b").perform();
        waiting().until(driver -> "bad".equals(driver.findElement(By.cssSelector("article.entry-current .label-status"))
                .getAttribute("data-label")));
        keys.sendKeys("a").perform();
        waiting().until(driver -> "APPROVED".equals(driver.findElement(By.id("review-status")).getAttribute("data-review")));
        assertThat(jdbc.queryForObject("select corrected_text from message_labels where message_id = ?", String.class,
                hammocks.messages.get(2L))).isEqualTo("Mejor guárdalas en invierno: la lona se estropea con la helada.");

        // n: on to the next conversation awaiting review, the one that started after this one.
        keys.sendKeys("n").perform();
        waiting().until(driver -> driver.getCurrentUrl().endsWith("/admin/transcripts/" + shipping.id));
        assertThat(browser.driver.findElement(By.cssSelector("main")).getText()).contains("El envío es gratis desde 50 €.");

        browser.navigate().to(url("/admin/datasets"));
        browser.script("document.getElementById('format').value = 'openai-dpo';");
        setDate("#export-form input[name=from]", "2020-06-01");
        setDate("#export-form input[name=to]", "2020-06-01");
        // What the download button fetches (the form's GET), read by the page itself with its session.
        Object file = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeAsyncScript("""
                var done = arguments[arguments.length - 1];
                var form = document.getElementById('export-form');
                var query = new URLSearchParams(new FormData(form)).toString();
                fetch(form.action + '?' + query).then(function (r) { return r.text(); }).then(done);""");
        String[] lines = file.toString().strip().split("\n");
        assertThat(lines).hasSize(1);
        assertThat(lines[0]).contains("\"preferred_output\":[{\"role\":\"assistant\",\"content\":\"Mejor guárdalas en invierno")
                .contains("\"non_preferred_output\":[{\"role\":\"assistant\",\"content\":\"Sí, aguantan cualquier clima");
        browser.navigate().refresh();
        assertThat(browser.driver.findElement(By.id("exports")).getText()).contains("openai-dpo").contains("admin@soportemax.test");

        // The admin's own reads of the two transcripts are in the audit, reached from the navigation.
        browser.driver.findElement(By.cssSelector(".nav-links a[href='/admin/transcript-reads']")).click();
        waiting().until(driver -> driver.getCurrentUrl().contains("/admin/transcript-reads"));
        browser.driver.findElement(By.id("reads-conversation")).sendKeys(hammocks.id.toString());
        browser.driver.findElement(By.cssSelector("#reads-filters button[type=submit]")).click();
        waiting().until(driver -> driver.getCurrentUrl().contains("conversation=" + hammocks.id));
        String audit = browser.driver.findElement(By.id("transcript-reads")).getText();
        assertThat(audit).contains("admin@soportemax.test", hammocks.id.toString(), "GET /admin/transcripts/{id}")
                .doesNotContain(shipping.id.toString());
    }

    @Test
    void theDashboardDrawsItsCharts() throws Exception {
        signIn();
        browser.navigate().to(url("/admin/stats?from=2020-06-01&to=2020-06-01"));
        waiting().until(driver -> "true".equals(driver.findElement(By.id("charts")).getAttribute("data-drawn")));
        for (String chart : new String[]{"chart-outcomes", "chart-days", "chart-reasons"}) {
            Object painted = browser.script("""
                    var canvas = document.querySelector('#' + arguments[0] + ' canvas');
                    if (!canvas) return 0;
                    var data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                    var painted = 0;
                    for (var i = 3; i < data.length; i += 4) if (data[i] > 0) painted++;
                    return painted;""", chart);
            assertThat(((Number) painted).longValue()).as(chart + " painted pixels").isGreaterThan(500);
        }
        assertThat(browser.driver.findElement(By.id("kpi-conversations")).getText()).isEqualTo("3");
        // Readable without hovering: every series of every chart draws its values as labels.
        Object unlabelled = browser.script("""
                var missing = [];
                ['chart-outcomes', 'chart-days', 'chart-reasons'].forEach(function (id) {
                  echarts.getInstanceByDom(document.getElementById(id)).getOption().series.forEach(function (s, i) {
                    if (!(s.label && s.label.show)) missing.push(id + ' series ' + i);
                  });
                });
                return missing.join(', ');""");
        assertThat(unlabelled).as("chart series without value labels").isEqualTo("");

        WebElement outcomes = browser.driver.findElement(By.id("chart-outcomes"));
        byte[] png = outcomes.getScreenshotAs(OutputType.BYTES);
        Path shot = Path.of("target", "dashboard-outcomes.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, png);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        Set<Integer> colours = new HashSet<>();
        for (int x = 0; x < image.getWidth(); x += 3) {
            for (int y = 0; y < image.getHeight(); y += 3) colours.add(image.getRGB(x, y));
        }
        assertThat(colours).as("colours in the outcomes chart's screenshot").hasSizeGreaterThan(3);
    }
}
