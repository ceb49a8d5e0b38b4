package trainwatch.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.CheckResult;
import trainwatch.event.RunStatus;
import trainwatch.live.LiveLimits;
import trainwatch.store.CheckFiles;

/** A check file left at "running" by a killed check process reads as failed; one whose process lives still reads running. */
class StaleCheckTest {
    @RegisterExtension
    static final ServerFixture fixture = ServerFixture.withLimits(LiveLimits.DEFAULT);

    private static String lastId;

    @Test
    void a_running_check_whose_process_was_killed_reads_failed() throws Exception {
        Process p = sleeper();
        p.destroyForcibly();
        p.waitFor(60, TimeUnit.SECONDS);
        JsonNode check = checkOfRunWith(p.pid());
        Path checkFile = fixture.server.store.dir(lastId).resolve("checks/overfit.json");
        assertEquals("fail", check.get("outcome").asText());
        assertEquals("the check process ended without a result (killed?)", check.get("summary").asText());
        assertEquals(p.pid(), check.get("details").get("pid").asLong());
        assertTrue(Files.readString(checkFile).contains("\"running\""), "the server left the check's own file alone");
    }

    @Test
    void a_running_check_whose_process_is_alive_still_reads_running() throws Exception {
        Process p = sleeper();
        try {
            JsonNode check = checkOfRunWith(p.pid());
            assertEquals("running", check.get("outcome").asText());
            assertEquals("the overfit check is running", check.get("summary").asText());
        } finally {
            p.destroyForcibly();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static Process sleeper() throws Exception {
        return new ProcessBuilder("sleep", "120").start();
    }

    private static JsonNode checkOfRunWith(long pid) {
        String id = fixture.server.store.newId();
        lastId = id;
        fixture.server.store.create(id, "{\"name\":\"stale-check\",\"dataset\":\"spiral\"}", RunStatus.FINISHED, "");
        CheckFiles.write(fixture.server.store.dir(id), new CheckResult(-1, System.currentTimeMillis(), "overfit", "running",
                "the overfit check is running", "{\"pid\":" + pid + ",\"startedMs\":1}"));
        JsonNode checks = fixture.api.get("/api/runs/" + id).json().get("checks");
        assertEquals(1, checks.size(), checks.toString());
        return checks.get(0);
    }
}
