package trainwatch.ensemble;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.run.Problem;
import trainwatch.run.RunException;
import trainwatch.store.RunStore;

/**
 * Members checked against the run store without ND4J: each run exists, all were trained on the
 * same dataset (so they take the same input shape and classes), and, once the runs are done, each
 * checkpoint exists. A problem names the member (field {@code members[i]}) and its run.
 */
public final class Members {
    private Members() {}

    /** A member with what its run's config.json says. */
    public record Resolved(MemberRef ref, Path runDir, Path zip, String dataset, String runName, long seed, String configJson) {}

    /** {@code needCheckpoints}: false while the member runs are still to be trained (a seeds ensemble). */
    public static List<Resolved> resolve(Path runsRoot, List<MemberRef> refs, boolean needCheckpoints) {
        List<Problem> errors = new ArrayList<>();
        List<Resolved> out = new ArrayList<>();
        String dataset = null;
        int first = -1;
        for (int i = 0; i < refs.size(); i++) {
            MemberRef r = refs.get(i);
            String field = "members[" + i + "]";
            Path runDir = runsRoot.resolve(r.run());
            JsonNode cfg;
            String cfgText;
            try {
                cfgText = Files.readString(runDir.resolve("config.json"));
                cfg = Json.MAPPER.readTree(cfgText);
            } catch (IOException | RuntimeException e) {
                errors.add(new Problem(field, "no run " + r.run()));
                continue;
            }
            String ds = cfg.path("dataset").asText("");
            if (dataset == null) {
                dataset = ds;
                first = i;
            } else if (!dataset.equals(ds)) {
                errors.add(new Problem(field, "run " + r.run() + " was trained on " + ds + " but members[" + first + "] (run "
                        + refs.get(first).run() + ") on " + dataset + ": members need the same dataset and input shape"));
                continue;
            }
            Path zip = null;
            if (needCheckpoints) {
                zip = RunCheckpoints.resolve(runDir, r.checkpoint()).orElse(null);
                if (zip == null) {
                    errors.add(new Problem(field, "run " + r.run() + " has no " + r.checkpoint() + " checkpoint"
                            + (r.checkpoint().equals(MemberRef.AVERAGE) ? " (it was trained without config key averaging)" : "")));
                    continue;
                }
            }
            out.add(new Resolved(r, runDir, zip, ds, cfg.path("name").asText(r.run()), cfg.path("seed").asLong(), cfgText));
        }
        if (!errors.isEmpty()) throw RunException.invalid(errors);
        return out;
    }

    /** {@code run}'s newest {@code k} checkpoints as members; at least 2 are needed. */
    public static List<MemberRef> lastOf(Path runsRoot, String run, int k) {
        if (!RunStore.validId(run) || !Files.isRegularFile(runsRoot.resolve(run).resolve("config.json")))
            throw RunException.invalid("run", "no run " + run);
        List<String> names = RunCheckpoints.last(runsRoot.resolve(run), k);
        if (names.size() < 2)
            throw RunException.invalid("last", "run " + run + " has " + names.size() + " checkpoint" + (names.size() == 1 ? "" : "s")
                    + ": an ensemble of its checkpoints needs at least 2 (epoch checkpoints are kept per checkpoints.keep)");
        return names.stream().map(n -> new MemberRef(run, n)).toList();
    }
}
