package trainwatch.web;

import java.io.File;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.function.Function;

import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.ElementNotInteractableException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Debian Chromium driven by the Debian chromedriver (no Selenium Manager, no network). */
final class Browser implements AutoCloseable {
    final ChromeDriver driver;

    Browser(String... extraArgs) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1400,1000");
        options.addArguments(extraArgs);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        driver = new ChromeDriver(service, options);
    }

    /**
     * Console entries at SEVERE since the last call: uncaught JavaScript errors and failed
     * requests ("Failed to load resource: ... 404"). Reading drains Chromium's buffer.
     */
    List<String> consoleErrors() {
        return driver.manage().logs().get("browser").getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(e -> e.getLevel() + " " + e.getMessage())
                .toList();
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * What the page showed when a wait gave up (its URL and the start of its text), so a failure
     * on a loaded CI machine can be told apart from a wrong page without rerunning it.
     */
    private String seenNow() {
        try {
            Object text = ((JavascriptExecutor) driver).executeScript(
                    "const p = document.getElementById('page') || document.body; return p ? p.innerText : '';");
            String t = String.valueOf(text).replaceAll("\\s+", " ").strip();
            return " (page " + driver.getCurrentUrl() + " showed: " + (t.length() > 600 ? t.substring(0, 600) + "..." : t) + ")";
        } catch (RuntimeException e) {
            return " (page state unreadable: " + e.getClass().getSimpleName() + ")";
        }
    }

    /**
     * Waits up to 90 s for a condition (never a fixed sleep). Live pages re-render while a
     * condition reads them, so an element that went stale just means "look again".
     */
    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(90))
                .withMessage(() -> what + seenNow())
                .pollingEvery(Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class)
                .until(condition);
    }

    /**
     * Finds and clicks inside one wait. A live page may re-render the element between the find
     * and the click (StaleElementReference), or still be laying it out (not interactable,
     * covered): each of those means "find it again", never a failed test.
     */
    void click(String what, By by) {
        new WebDriverWait(driver, Duration.ofSeconds(90))
                .withMessage(() -> "click " + what + seenNow())
                .pollingEvery(Duration.ofMillis(200))
                .ignoring(StaleElementReferenceException.class)
                .ignoring(ElementClickInterceptedException.class)
                .ignoring(ElementNotInteractableException.class)
                .until(d -> {
                    d.findElement(by).click();
                    return true;
                });
    }

    /**
     * Reads an element inside one wait: re-found if it went stale meanwhile. Any value counts,
     * false and null included (to wait for a value, use {@link #await}).
     */
    <T> T read(String what, By by, Function<WebElement, T> read) {
        return await(what, d -> new Holder<>(read.apply(d.findElement(by)))).value();
    }

    private record Holder<T>(T value) {}

    @Override
    public void close() {
        driver.quit();
    }
}
