package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;

import trainwatch.auth.Role;
import trainwatch.auth.TokenStore;
import trainwatch.http.TrainwatchServer;
import trainwatch.json.Json;
import trainwatch.run.Launcher;

/**
 * Sign-in in real headless Chromium against a server that has tokens: the login page first, a
 * viewer who sees no write buttons (and whose writes the server refuses anyway), logout, and an
 * admin who manages tokens and reads the audit log on the admin page.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class AuthBrowserTest {
    static final Launcher NO_TRAINER = trainwatch.testkit.NoTrainer.LAUNCHER;

    static TrainwatchServer server;
    static String url, admin, viewer, remoteRun;
    Browser browser;

    @BeforeAll
    static void start() throws Exception {
        Path runs = Files.createTempDirectory("tw-auth-web");
        TokenStore tokens = new TokenStore(runs, Clock.systemUTC());
        admin = tokens.create("ada", Role.ADMIN, "test").secret();
        viewer = tokens.create("vic", Role.VIEWER, "test").secret();
        server = new TrainwatchServer(TrainwatchServer.Options.defaults(runs).withPort(0).withMaxParallel(1).withLauncher(NO_TRAINER)
                .withWebDir(Path.of("..", "web").toAbsolutePath().normalize())).start();
        url = "http://127.0.0.1:" + server.port() + "/";
        HttpResponse<String> made = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "api/ingest/runs"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"remote-shapes\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, made.statusCode(), made.body());
        remoteRun = Json.tree(made.body()).get("id").asText();
    }

    @AfterAll
    static void stop() {
        server.close();
        assertEquals(0, server.stats.count(500, 600), "the server answered a 5xx");
    }

    @BeforeEach
    void open() {
        browser = new Browser();
    }

    @AfterEach
    void close() {
        browser.close();
    }

    void signIn(String token) {
        browser.await("the login page", d -> !d.findElements(By.id("login-page")).isEmpty());
        browser.await("the token typed", d -> {
            WebElement in = d.findElement(By.id("login-token"));
            in.clear();
            in.sendKeys(token);
            return token.equals(in.getAttribute("value"));
        });
        browser.click("sign in", By.id("login-submit"));
    }

    boolean shown(String css) {
        return Boolean.TRUE.equals(browser.js("const e = document.querySelector(arguments[0]);"
                + " return !!e && e.getClientRects().length > 0 && getComputedStyle(e).display !== 'none';", css));
    }

    @Test
    void a_viewer_signs_in_sees_no_write_buttons_and_the_server_refuses_the_writes_anyway() throws Exception {
        browser.driver.get(url);
        signIn("tw_not-a-real-token");
        browser.await("a refusal for a wrong token", d -> d.findElement(By.id("login-error")).getText().contains("not valid"));
        screenshot("login.png");
        signIn(viewer);
        browser.await("the runs page with the remote run", d -> !d.findElements(By.cssSelector("tr[data-id='" + remoteRun + "']")).isEmpty());
        browser.await("who is signed in", d -> d.findElement(By.id("who-name")).getText().equals("vic")
                && d.findElement(By.id("who-role")).getText().equals("viewer"));
        assertFalse(shown("#new-run"), "no New run button for a viewer");
        assertFalse(shown("tr[data-id='" + remoteRun + "'] td.actions button"), "no row actions for a viewer");
        assertFalse(shown("nav a[data-route='admin']"), "no admin link for a viewer");
        assertTrue(browser.js("return document.cookie").toString().isEmpty(), "the session cookie is HttpOnly: scripts cannot read it");

        Object status = ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                + " fetch('/api/runs', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({dataset: 'spiral'})})"
                + ".then(r => done(r.status)).catch(e => done(String(e)));");
        assertEquals(403L, ((Number) status).longValue(), "the server refuses a viewer's write made with the session cookie");
        assertEquals(List.of(remoteRun), server.store.ids(), "nothing was started");

        browser.driver.get(url + "#/run/" + remoteRun);
        browser.await("the run page", d -> !d.findElements(By.id("stop-run")).isEmpty());
        for (String id : List.of("#stop-run", "#delete-run", "#clone-run", "#resume-run", "#repeat-seeds"))
            assertFalse(shown(id), id + " is hidden from a viewer");

        browser.click("log out", By.id("logout"));
        browser.await("the login page after logout", d -> !d.findElements(By.id("login-page")).isEmpty());
    }

    @Test
    void an_admin_creates_and_revokes_a_token_and_reads_the_audit_log() {
        browser.driver.get(url + "#/admin");
        signIn(admin);
        browser.await("the admin page", d -> !d.findElements(By.id("admin-page")).isEmpty());
        assertTrue(shown("nav a[data-route='admin']"));
        browser.await("the tokens listed", d -> d.findElement(By.id("token-table")).getText().contains("vic"));
        browser.await("a name typed", d -> {
            WebElement in = d.findElement(By.id("token-name"));
            in.clear();
            in.sendKeys("nightly-ci");
            return "nightly-ci".equals(in.getAttribute("value"));
        });
        browser.click("create token", By.id("create-token"));
        String secret = browser.await("the new token shown once", d -> {
            String t = d.findElement(By.id("new-token-value")).getText();
            return t.startsWith("tw_") ? t : null;
        });
        assertTrue(new TokenStore(server.store.root(), Clock.systemUTC()).find(secret) != null, "the shown secret is the stored token's");
        browser.await("the audit log names the creation", d -> d.findElement(By.id("audit-table")).getText().contains("POST /api/tokens"));
        screenshot("admin.png");
        browser.js("window.confirm = () => true;");
        browser.click("revoke", By.cssSelector("#token-table tr[data-name='nightly-ci'] button"));
        browser.await("the token gone", d -> d.findElements(By.cssSelector("#token-table tr[data-name='nightly-ci']")).isEmpty());
        assertEquals(null, new TokenStore(server.store.root(), Clock.systemUTC()).find(secret));
        browser.driver.get(url);
        browser.await("an admin sees New run", d -> shown("#new-run"));
    }

    /** For docs/screenshots (copied from target/ by hand). */
    void screenshot(String name) {
        try {
            Path dir = Path.of("target", "auth-screens");
            Files.createDirectories(dir);
            Files.write(dir.resolve(name), browser.driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
