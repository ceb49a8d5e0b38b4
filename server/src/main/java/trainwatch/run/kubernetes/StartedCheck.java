package trainwatch.run.kubernetes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import trainwatch.event.CheckResult;
import trainwatch.json.Json;
import trainwatch.run.RunException;
import trainwatch.store.CheckFiles;

/**
 * One start of a check as a Kubernetes Job, and the one writer of its checks/&lt;name&gt;.json while it runs.
 * Every write happens under this object's lock and only while the run is not being deleted and its directory
 * exists, so a deleted run never gets a checks/ directory back. Kubernetes' side (queued, running) is written
 * until the check reports itself; the first final result (the check's own, or a failure settled from
 * Kubernetes) ends it: nothing is written after, and its marker goes.
 */
final class StartedCheck {
    final String id;
    final String check;
    final String job;
    final long startedMs;
    private final String keySha256;
    private final Path runDir;
    private final Clock clock;
    /** The informer has had its Job: from then on a Job missing from its cache was deleted. Worker thread only. */
    boolean jobSeen;
    /** Its Job's pod log is in runs/&lt;id&gt;/check-&lt;name&gt;.log (or could not be had). Worker thread only. */
    boolean logSaved;
    /** A failed Job waits a moment for its pod's exit before the check is settled. Worker thread only. */
    final ExitWait exitWait = new ExitWait();
    private boolean reported;
    private boolean done;
    private boolean deleted;
    private String lastWritten;

    StartedCheck(String id, String check, String job, String keySha256, long startedMs, Path runDir, Clock clock) {
        this.id = id;
        this.check = check;
        this.job = job;
        this.keySha256 = keySha256;
        this.startedMs = startedMs;
        this.runDir = runDir;
        this.clock = clock;
    }

    boolean keyMatches(String key) {
        return CheckKey.matches(key, keySha256);
    }

    synchronized boolean done() {
        return done;
    }

    /** After a restart: the check's own "running" stands until it or Kubernetes says more. */
    synchronized void reported(boolean r) {
        reported = r;
    }

    /** Its run is being deleted (true) or stays after all (false). */
    synchronized void deleting(boolean d) {
        deleted = d;
    }

    /** Queued or running as Kubernetes sees it: written unless the check has reported itself; only what is new. */
    synchronized void kubernetesSays(String outcome, String summary) {
        if (done || reported) return;
        write(outcome, summary, null, false);
    }

    /** A final result from Kubernetes' side (the check cannot give one); false when it already has one. */
    synchronized boolean settle(String outcome, String summary, Map<String, Object> details) {
        if (done || deleted) return false;
        write(outcome, summary, Json.write(details), false);
        finish();
        return true;
    }

    /** What the check reports; 404 once its run is being deleted, 409 once its result is stored. */
    synchronized void report(String outcome, String summary, String detailsJson) {
        if (deleted || !Files.isDirectory(runDir)) throw RunException.notFound("no run with id " + id);
        if (done) throw RunException.conflict("the " + check + " check of run " + id + " has its result already");
        write(outcome, summary, detailsJson, true);
        reported = true;
        if (!outcome.equals(CheckVerdict.RUNNING)) finish();
    }

    /** runs/&lt;id&gt;/check-&lt;name&gt;.log, where a local check's output goes. */
    synchronized void saveLog(String log) throws IOException {
        if (!deleted && Files.isDirectory(runDir)) Files.writeString(runDir.resolve("check-" + check + ".log"), log, StandardCharsets.UTF_8);
    }

    /** The server's own writes only when they say something new (a pod's every update would be one more live message). */
    private void write(String outcome, String summary, String detailsJson, boolean fromCheck) {
        if (deleted || !Files.isDirectory(runDir)) return;
        if (detailsJson == null) detailsJson = Json.write(Map.of("job", job, "startedMs", startedMs));
        String shown = outcome + "\n" + summary;
        if (!fromCheck && shown.equals(lastWritten)) return;
        CheckFiles.write(runDir, new CheckResult(-1, clock.millis(), check, outcome, summary, detailsJson));
        lastWritten = shown;
    }

    private void finish() {
        done = true;
        try {
            CheckMarker.remove(runDir, check);
        } catch (UncheckedIOException e) {
            // a marker left behind settles as "gone" at the next start, after the result it already has: harmless
        }
    }
}
