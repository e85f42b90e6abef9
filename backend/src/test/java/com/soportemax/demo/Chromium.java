package com.soportemax.demo;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.SearchContext;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A real headless Chromium driven through chromedriver, both from Debian's packages ({@code chromium},
 * {@code chromium-driver}); {@code .ci/run} installs them. Nothing is downloaded: the driver and browser paths are
 * given explicitly, so Selenium Manager never runs.
 */
final class Chromium implements AutoCloseable {

    // Debian's package locations; overridable for other systems.
    static final Path BROWSER = Path.of(System.getProperty("soportemax.test.chromium", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("soportemax.test.chromedriver", "/usr/bin/chromedriver"));

    final ChromeDriver driver;
    private final Path profile;

    private Chromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Skips the calling tests when Chromium is not installed (call it from {@code @BeforeAll}, so no application is
     * started for nothing); fails clearly when Chromium is there but its driver is not.
     */
    static void assumeInstalled() {
        if (!Files.isExecutable(BROWSER)) {
            String reason = "Browser tests skipped: no Chromium at " + BROWSER
                    + ". Install it with: apt-get install -y chromium chromium-driver (CI's .ci/run does).";
            // Surefire reports a class skipped in @BeforeAll as "Tests run: 0" without the reason: say it in the build log.
            System.err.println(reason);
            Assumptions.abort(reason);
        }
        if (!Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("Chromium is installed but chromedriver is not at " + DRIVER
                    + ": apt-get install -y chromium-driver");
        }
    }

    static Chromium start() {
        return start("es");
    }

    /** A browser whose user prefers {@code language} (its Accept-Language and {@code navigator.language}). */
    static Chromium start(String language) {
        assumeInstalled();
        Path profile;
        try {
            profile = Files.createTempDirectory("soportemax-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                "--window-size=1366,900", "--lang=" + language, "--user-data-dir=" + profile);
        options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", language));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
        return new Chromium(driver, profile);
    }

    /** The widget's shadow root on the current page (the host page cannot see inside it, but a test can). */
    SearchContext widget() {
        return driver.findElement(By.id("soportemax-widget")).getShadowRoot();
    }

    Object script(String javascript, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(javascript, arguments);
    }

    WebDriver.Navigation navigate() {
        return driver.navigate();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // A leftover temporary browser profile is harmless; the test result is what matters.
            }
        }
    }
}
