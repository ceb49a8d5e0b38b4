package trainwatch.ensemble;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.run.Problem;
import trainwatch.run.RunException;

/**
 * What a caller asks for (POST /api/ensembles, or the command line's arguments): exactly one
 * member source, {@code members} ["RUN[:CHECKPOINT]", ...], {@code run} + {@code last} K,
 * {@code sweep} + {@code top} K, or {@code seeds} N with a {@code run} to repeat or a {@code config};
 * an optional {@code name} and {@code average_params} (default: true for a run's checkpoints).
 * Every problem names its field.
 */
public record EnsembleRequest(String name, List<MemberRef> members, String run, Integer last, String sweep, Integer top,
                              Integer seeds, JsonNode config, Boolean averageParams) {
    public static final int MAX_MEMBERS = 64, MAX_SEEDS = 20;
    static final Set<String> KEYS = Set.of("name", "members", "run", "last", "sweep", "top", "seeds", "config", "average_params");

    public String kind() {
        if (members != null) return "runs";
        if (seeds != null) return "seeds";
        if (sweep != null) return "sweep";
        return "run";
    }

    /** Whether to also evaluate the mean of the members' parameters: asked for, or by default for one run's checkpoints. */
    public boolean averaging() {
        return averageParams != null ? averageParams : kind().equals("run");
    }

    public static EnsembleRequest parse(JsonNode body) {
        List<Problem> errors = new ArrayList<>();
        if (body == null || !body.isObject()) throw RunException.invalid("", "the body must be a JSON object");
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) errors.add(new Problem(k, "unknown key (known: members, run, last, sweep, top, seeds, config, name, average_params)"));
        }
        String name = text(body, "name", errors);
        if (name != null && name.length() > 100) errors.add(new Problem("name", "must be at most 100 characters (got " + name.length() + ")"));
        List<MemberRef> members = null;
        JsonNode m = body.get("members");
        if (m != null) {
            if (!m.isArray()) errors.add(new Problem("members", "must be an array of \"RUN[:CHECKPOINT]\" strings"));
            else if (m.size() < 1 || m.size() > MAX_MEMBERS) errors.add(new Problem("members", "must hold 1.." + MAX_MEMBERS + " members (got " + m.size() + ")"));
            else {
                members = new ArrayList<>();
                for (int i = 0; i < m.size(); i++) {
                    JsonNode e = m.get(i);
                    try {
                        if (!e.isTextual()) throw new IllegalArgumentException("must be a \"RUN[:CHECKPOINT]\" string");
                        members.add(MemberRef.parse(e.textValue()));
                    } catch (IllegalArgumentException ex) {
                        errors.add(new Problem("members[" + i + "]", ex.getMessage()));
                    }
                }
            }
        }
        String run = text(body, "run", errors);
        if (run != null && !trainwatch.store.RunStore.validId(run)) errors.add(new Problem("run", "must be a run id [a-z0-9-]{1,64}"));
        String sweep = text(body, "sweep", errors);
        if (sweep != null && !validSweepId(sweep)) errors.add(new Problem("sweep", "must be a sweep id [a-z0-9-]{1,64}"));
        Integer last = integer(body, "last", 2, MAX_MEMBERS, errors);
        Integer top = integer(body, "top", 1, MAX_MEMBERS, errors);
        Integer seeds = integer(body, "seeds", 2, MAX_SEEDS, errors);
        JsonNode config = body.get("config");
        if (config != null && !config.isObject()) errors.add(new Problem("config", "must be a run config object"));
        Boolean avg = null;
        JsonNode a = body.get("average_params");
        if (a != null) {
            if (!a.isBoolean()) errors.add(new Problem("average_params", "must be true or false"));
            else avg = a.booleanValue();
        }
        int sources = (body.has("members") ? 1 : 0) + (body.has("seeds") ? 1 : 0) + (body.has("sweep") ? 1 : 0)
                + (body.has("last") ? 1 : 0);
        if (errors.isEmpty()) {
            if (sources != 1)
                errors.add(new Problem(sources == 0 ? "members" : "", sources == 0
                        ? "is required: give members, run + last, sweep + top, or seeds + run|config"
                        : "give exactly one member source: members, run + last, sweep + top, or seeds + run|config"));
            else if (body.has("last") && run == null) errors.add(new Problem("run", "is required with last"));
            else if (body.has("sweep") && top == null) errors.add(new Problem("top", "is required with sweep"));
            else if (body.has("seeds") && (run == null) == (config == null))
                errors.add(new Problem("config", "seeds needs exactly one of run (a run to repeat) or config"));
            else if (body.has("members") && (run != null || config != null || top != null))
                errors.add(new Problem(run != null ? "run" : config != null ? "config" : "top", "does not go with members"));
            else if (top != null && sweep == null) errors.add(new Problem("sweep", "is required with top"));
            else if (config != null && seeds == null) errors.add(new Problem("seeds", "is required with config"));
        }
        if (!errors.isEmpty()) throw RunException.invalid(errors);
        return new EnsembleRequest(name, members, run, last, sweep, top, seeds, config, avg);
    }

    static boolean validSweepId(String id) {
        return id.matches("[a-z0-9-]{1,64}");
    }

    private static String text(JsonNode body, String key, List<Problem> errors) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) {
            errors.add(new Problem(key, "must be a string"));
            return null;
        }
        return v.textValue();
    }

    private static Integer integer(JsonNode body, String key, int min, int max, List<Problem> errors) {
        JsonNode v = body.get(key);
        if (v == null || v.isNull()) return null;
        if (!v.canConvertToInt() || !(v.isIntegralNumber() || (v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue())))) {
            errors.add(new Problem(key, "must be an integer " + min + ".." + max + " (got " + clip(v.toString()) + ")"));
            return null;
        }
        int n = v.asInt();
        if (n < min || n > max) {
            errors.add(new Problem(key, "must be " + min + ".." + max + " (got " + n + ")"));
            return null;
        }
        return n;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
