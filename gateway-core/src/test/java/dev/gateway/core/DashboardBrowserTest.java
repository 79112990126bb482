package dev.gateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gateway.testkit.Eventually;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard in a real browser: Debian's headless chromium driven through chromedriver by
 * Selenium. The page loads without console errors and lists the routes of the test configuration;
 * its numbers move when traffic flows; a target shows "open" once its breaker trips; the reload
 * button asks for the admin token and reloads; a failed reload shows its problems. A screenshot of each state is written to
 * {@code target/dashboard/}. Skipped, with the reason, where chromium or chromedriver is not
 * installed ({@code .ci/run} installs {@code chromium} and {@code chromium-driver}).
 */
class DashboardBrowserTest {

    private static final Duration LIMIT = Duration.ofSeconds(60);
    static final Path SCREENSHOTS = Path.of("target", "dashboard");

    @TempDir
    Path dir;
    private ChromeDriver browser;

    private static Path chromium() {
        Optional<Path> real = Optional.of(Path.of("/usr/lib/chromium/chromium")).filter(Files::isExecutable);
        Optional<Path> found = real.or(() -> ExternalTools.find("chromium", "chromium-browser", "google-chrome"));
        assumeTrue(found.isPresent(), "no chromium installed (Debian package chromium; .ci/run installs it)");
        return found.get();
    }

    private static Path chromedriver() {
        Optional<Path> found = ExternalTools.find("chromedriver");
        assumeTrue(found.isPresent(), "no chromedriver installed (Debian package chromium-driver; .ci/run installs it)");
        return found.get();
    }

    @BeforeEach
    void startBrowser() throws IOException {
        Path chromium = chromium();
        Path driver = chromedriver();
        Files.createDirectories(SCREENSHOTS);
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // The flags a closed network needs, or chromium waits on services it cannot reach.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--hide-scrollbars", "--user-data-dir=" + Files.createDirectories(dir.resolve("profile")),
                "--window-size=1440,1000", "--force-device-scale-factor=1");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .withLogFile(dir.resolve("chromedriver.log").toFile())
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().pageLoadTimeout(LIMIT);
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theDashboardShowsRoutesLiveTrafficAnOpenBreakerAndReloadsWithTheToken() throws Exception {
        try (TestBackend a = TestBackend.start(() -> slowly("a", 1, 40));
             TestBackend b = TestBackend.start(() -> slowly("b", 1, 15));
             TestBackend flaky = TestBackend.start(() -> BackendHandlers.aggregating((ctx, request) ->
                     ctx.writeAndFlush(BackendHandlers.text(ThreadLocalRandom.current().nextInt(4) == 0
                             ? HttpResponseStatus.INTERNAL_SERVER_ERROR : HttpResponseStatus.OK, "flaky"))));
             GatewayFixture gateway = GatewayFixture.start(dir, "", "token = \"s3cret\"", String.join("\n",
                     "[[routes]]", "name = \"api\"", "path = \"/api/*\"", "upstream = \"api\"",
                     "[[routes]]", "name = \"checkout\"", "path = \"/checkout/*\"", "targets = [\"" + flaky.url() + "\"]",
                     "[[routes]]", "name = \"login\"", "path = \"/login\"", "targets = [\"" + a.url() + "\"]",
                     "rate_limit = { rate = 2, per = \"1s\", burst = 2 }",
                     "[[routes]]", "name = \"docs\"", "path = \"/docs/*\"", "redirect = \"https://docs.example.com/\"",
                     "[upstreams.api]", "targets = [\"" + a.url() + "\", \"" + b.url() + "\"]",
                     "[upstreams.api.circuit_breaker]", "consecutive_failures = 2", "max_ejected_percent = 100",
                     "open_duration = \"60s\"", "max_open_duration = \"60s\"", ""))) {
            browser.get("http://127.0.0.1:" + gateway.server.adminAddress().getPort() + "/");

            await("the routes of the configuration", () -> routeNames().containsAll(List.of("api", "checkout", "login", "docs")));
            await("the live feed connected", () -> text(By.cssSelector("[data-testid=live]")).equals("live"));
            assertThat(browser.getTitle()).isEqualTo("gateway dashboard");
            assertThat(text(By.cssSelector("[data-target='" + b.url() + "'] [data-field=breaker]"))).isEqualTo("closed");
            screenshot("1-loaded");

            traffic(gateway, 120);
            await("api's req/s moving", () -> number(By.cssSelector("[data-route=api] [data-field=rps]")) > 0);
            await("checkout's 5xx share showing", () -> number(By.cssSelector("[data-route=checkout] [data-field=error_pct]")) > 0);
            await("a rate-limited client among the suspicious ones",
                    () -> text(By.cssSelector("[data-testid=clients]")).contains("429"));
            await("recent errors listed", () -> !browser.findElements(By.cssSelector("[data-testid=errors] tr[data-request-id]")).isEmpty());
            assertThat(number(By.cssSelector("[data-route=api] [data-field=p99]"))).isPositive();
            screenshot("2-traffic");

            b.close(); // b dies: its breaker opens after two failed attempts (retried on a, so clients see no error)
            await("b's breaker open on the page", () -> {
                try {
                    traffic(gateway, 4);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
                return text(By.cssSelector("[data-target='" + b.url() + "'] [data-field=breaker]")).startsWith("open");
            });
            assertThat(text(By.cssSelector("[data-target='" + a.url() + "'] [data-field=breaker]"))).isEqualTo("closed");
            traffic(gateway, 60);
            await("the numbers keep moving", () -> number(By.cssSelector("[data-route=api] [data-field=rps]")) > 0);
            screenshot("3-breaker-open");
            browser.manage().window().setSize(new Dimension(1440, 1650));
            screenshot("dashboard-full");
            browser.manage().window().setSize(new Dimension(1440, 1000));

            browser.findElement(By.id("reload")).click();
            await("the token dialog", () -> browser.findElement(By.id("token-dialog")).isDisplayed());
            browser.findElement(By.id("token")).sendKeys("s3cret");
            screenshot("4-token");
            browser.findElement(By.id("token-ok")).click();
            await("the reload done", () -> text(By.id("notice")).startsWith("Reloaded at"));
            await("the reload counted", () -> text(By.id("reloads")).startsWith("1 ok"));
            assertThat(gateway.server.reloadStats().succeeded()).isEqualTo(1);

            gateway.rewriteConfig("bogus_key = 1", "");
            assertThat(gateway.reload().applied()).isFalse();
            await("the failed reload and its problem", () -> browser.findElement(By.cssSelector("[data-testid=last-failure]"))
                    .isDisplayed() && text(By.cssSelector("[data-testid=last-failure]")).contains("server.bogus_key"));
            screenshot("5-reload-failed");

            browser.findElement(By.id("theme")).click();
            screenshot("6-other-theme");
            browser.manage().window().setSize(new Dimension(400, 900));
            await("the narrow layout", () -> browser.findElement(By.cssSelector("header")).getSize().getWidth() <= 400);
            screenshot("7-narrow");

            List<LogEntry> console = browser.manage().logs().get(LogType.BROWSER).getAll();
            assertThat(console.stream().filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
                    .map(LogEntry::getMessage).collect(Collectors.toList())).as("console errors and warnings").isEmpty();
        }
    }

    /** A backend answering after a random delay of {@code minMillis} to {@code maxMillis}, with its name. */
    private static io.netty.channel.ChannelHandler slowly(String name, int minMillis, int maxMillis) {
        return BackendHandlers.aggregating((ctx, request) -> {
            int delay = ThreadLocalRandom.current().nextInt(minMillis, maxMillis + 1);
            ctx.executor().schedule(() -> ctx.writeAndFlush(BackendHandlers.text(HttpResponseStatus.OK, name)),
                    delay, TimeUnit.MILLISECONDS);
        });
    }

    /** {@code rounds} rounds of a few requests over the routes, some over the login route's rate limit. */
    private static void traffic(GatewayFixture gateway, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            gateway.get("/api/items/" + i);
            if (i % 2 == 0) {
                gateway.get("/checkout/cart");
            }
            if (i % 10 == 0) {
                gateway.get("/login");
                gateway.get("/login");
                gateway.get("/login");
                gateway.get("/wp-admin/setup.php");
            }
        }
    }

    private List<String> routeNames() {
        return browser.findElements(By.cssSelector("[data-testid=routes] tbody tr")).stream()
                .map(row -> row.getAttribute("data-route")).collect(Collectors.toList());
    }

    /** The element's text; the page re-renders every second, so an element found may be gone when read: then again. */
    private String text(By by) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<WebElement> found = browser.findElements(by);
                return found.isEmpty() ? "" : found.get(0).getText().trim();
            } catch (StaleElementReferenceException e) {
                if (attempt == 20) {
                    throw e;
                }
            }
        }
    }

    private double number(By by) {
        try {
            return Double.parseDouble(text(by));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void await(String what, Supplier<Boolean> condition) {
        Eventually.await(what, LIMIT, () -> {
            try {
                return condition.get();
            } catch (WebDriverException e) { // an element replaced by the next second's render
                return false;
            }
        });
    }

    private void screenshot(String name) throws IOException {
        Path file = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(file, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
