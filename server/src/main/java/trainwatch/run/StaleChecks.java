package trainwatch.run;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.CheckResult;
import trainwatch.json.Json;

/**
 * A check file still reading "running" whose process is gone was killed before it could write
 * its result: shown as failed (the file itself belongs to the check process and is left alone),
 * in the REST views and in the live stream alike.
 */
public final class StaleChecks {
    static final String SUMMARY = "the check process ended without a result (killed?)";

    private StaleChecks() {}

    public static CheckResult resolve(CheckResult c) {
        if (!c.outcome().equals("running")) return c;
        JsonNode details = Json.tree(c.detailsJson());
        JsonNode pid = details == null ? null : details.get("pid");
        if (pid == null || !pid.canConvertToLong()) return c;
        boolean alive = ProcessHandle.of(pid.asLong()).map(ProcessHandle::isAlive).orElse(false);
        if (alive) return c;
        return new CheckResult(c.seq(), c.wallMs(), c.check(), "fail", SUMMARY, c.detailsJson());
    }
}
