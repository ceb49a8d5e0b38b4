package trainwatch.run;

/**
 * Checks that run somewhere else (a Kubernetes Job) and report back over HTTP
 * ({@code POST /api/ingest/runs/{id}/checks/{name}}): the executor that started one knows its key and
 * writes what it reports into runs/&lt;id&gt;/checks/&lt;name&gt;.json, exactly where a local check
 * process writes, so the run page, the REST view and the live stream read it the same way.
 */
public interface RemoteChecks {
    /** What a check reports: {@code running}, then {@code pass}, {@code warn} or {@code fail}; details is a JSON object. */
    record Report(String outcome, String summary, String detailsJson) {}

    RemoteChecks NONE = new RemoteChecks() {
        @Override
        public boolean keyMatches(String id, String check, String key) {
            return false;
        }

        @Override
        public String report(String id, String check, Report r) {
            throw RunException.notFound("no check Job " + check + " of run " + id + " on this server (checks run here as processes)");
        }
    };

    /** True when {@code key} is the key handed to the Job running this check of this run (constant time in the key). */
    boolean keyMatches(String id, String check, String key);

    /**
     * Stores what the check reports; returns the outcome stored. 404 (RunException) when no check Job of this
     * run and name is known here, 409 once its result is stored.
     */
    String report(String id, String check, Report r);
}
