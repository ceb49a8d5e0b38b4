package trainwatch.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

import trainwatch.testkit.ServerProcess;

/** A server restart under an open run page: the page reconnects with after=SEQ and keeps gaining points without a gap. */
@Timeout(value = 10, unit = TimeUnit.MINUTES) // child JVMs and several generous waits; the default is 5 min
class ReconnectBrowserTest {

    @Test
    void after_a_server_restart_the_open_page_reconnects_and_keeps_gaining_points() throws Exception {
        ServerProcess server = new ServerProcess(Files.createTempDirectory("tw-web-restart").resolve("runs")).start();
        Api api = new Api(server.url());
        String id = api.createRun(Configs.longSpiral("survives-restart"));
        try (Browser browser = new Browser()) {
            browser.driver.get(server.url() + "#/run/" + id);
            browser.await("live", d -> d.findElement(By.id("live-indicator")).getText().equals("live"));
            browser.await("points", d -> step(browser) > 0);

            server.stop();
            browser.await("the page notices", d -> d.findElement(By.id("live-indicator")).getText().equals("reconnecting"));
            int before = step(browser);
            server.start();

            browser.await("live again", d -> d.findElement(By.id("live-indicator")).getText().equals("live"));
            browser.await("more points after the restart", d -> step(browser) > before + 20);
            double gap = Double.parseDouble((String) browser.js("return document.querySelector('#chart-loss').dataset.maxGap"));
            double span = step(browser);
            assertTrue(gap < span * 0.05, "no hole in the loss curve: widest gap " + gap + " steps of " + span);
        } finally {
            api.stopQuietly(id);
            server.close();
        }
    }

    static int step(Browser b) {
        Object v = b.js("const e = document.querySelector('#chart-loss'); return e ? e.dataset.lastStep || '0' : '0';");
        return (int) Double.parseDouble(String.valueOf(v));
    }
}
