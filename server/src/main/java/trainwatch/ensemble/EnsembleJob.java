package trainwatch.ensemble;

import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import trainwatch.run.RunException;

/**
 * One evaluation as a job: status running (with this process's pid) first, then the result and
 * finished, or failed with the reason, whatever happens. Exit codes: 0 finished, 1 failed,
 * 2 refused (a member that does not fit, a missing checkpoint).
 */
public final class EnsembleJob {
    private static final Logger LOG = LoggerFactory.getLogger(EnsembleJob.class);
    public static final int OK = 0, FAILED = 1, REFUSED = 2;

    private EnsembleJob() {}

    public record Outcome(int code, EnsembleResult result, String reason) {}

    public static Outcome run(EnsembleFiles files, String id, Path dataDir) {
        long pid = ProcessHandle.current().pid();
        files.writeState(id, new EnsembleState(EnsembleState.RUNNING, "", pid, System.currentTimeMillis()));
        try {
            EnsembleResult r = EnsembleEvaluator.evaluate(files.spec(id), files.runsRoot(), dataDir);
            files.writeResult(id, r);
            files.writeState(id, new EnsembleState(EnsembleState.FINISHED, "", pid, System.currentTimeMillis()));
            return new Outcome(OK, r, "");
        } catch (RunException e) {
            String reason = e.problems().isEmpty() ? e.getMessage() : e.problems().get(0).field() + ": " + e.problems().get(0).message();
            files.writeState(id, new EnsembleState(EnsembleState.FAILED, reason, pid, System.currentTimeMillis()));
            return new Outcome(REFUSED, null, reason);
        } catch (Exception | OutOfMemoryError e) {
            LOG.error("ensemble {}: the evaluation failed", id, e);
            String m = e.getMessage();
            String reason = e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m.replaceAll("\\s+", " "));
            files.writeState(id, new EnsembleState(EnsembleState.FAILED, reason, pid, System.currentTimeMillis()));
            return new Outcome(FAILED, null, reason);
        }
    }
}
