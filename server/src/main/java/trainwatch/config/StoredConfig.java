package trainwatch.config;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A run's config.json as stored, which for a remote run is more than a trainer config: the ingest service adds
 * what it knows about the run (docs/api.md "Ingest"). Whatever trains from a stored config (a check, a seeds
 * ensemble, an ensemble member, a resumed remote trainer) reads its trainer part; a remote run whose client sent
 * a config of its own (a PyTorch loop's hyperparameters) has no trainer part at all.
 */
public final class StoredConfig {
    /** Keys POST /api/ingest/runs adds to a remote run's config: none of them is a trainer setting. */
    public static final List<String> REMOTE_KEYS = List.of("remote", "classes", "description", "origin");

    private StoredConfig() {}

    /** The stored config without the keys the server added; a copy (the argument is not changed). */
    public static ObjectNode trainerPart(ObjectNode stored) {
        ObjectNode c = stored.deepCopy();
        for (String k : REMOTE_KEYS) c.remove(k);
        return c;
    }

    /** As {@link #trainerPart(ObjectNode)} for config.json's text; text that is no JSON object is returned as it is (the parser reports it). */
    public static String trainerPart(String storedJson) {
        JsonNode n;
        try {
            n = ConfigParser.JSON.readTree(storedJson);
        } catch (Exception e) {
            return storedJson;
        }
        return n instanceof ObjectNode o ? trainerPart(o).toString() : storedJson;
    }

    /**
     * Why trainwatch's trainer cannot train from this stored config (its checks, Repeat with seeds, Clone); empty when
     * it can. Only a remote run's can fail: one whose client sent a config of its own (a PyTorch loop's hyperparameters)
     * or none, told by a trainer part that names no dataset or has keys a trainwatch config does not know. A trainer
     * config the parser refuses for another reason (a dataset not set up here) is still one: the check reports that.
     */
    public static List<FieldError> untrainable(JsonNode stored) {
        if (!isRemote(stored) || !(stored instanceof ObjectNode o)) return List.of();
        ObjectNode trainer = trainerPart(o);
        if (!trainer.has("dataset")) return List.of(new FieldError("dataset", "missing: the client sent no trainwatch run config"));
        try {
            ConfigParser.parse(trainer.toString());
            return List.of();
        } catch (ConfigException e) {
            return e.errors().stream().filter(fe -> fe.message().startsWith(FieldError.UNKNOWN_KEY)).toList();
        }
    }

    /**
     * Why {@code what} (e.g. "the overfit check") cannot train from this stored config, in words for the 4xx that
     * refuses it (the first three reasons), or null when it can: the one wording for the checks, seeds and the page.
     */
    public static String refusal(JsonNode stored, String what) {
        List<FieldError> why = untrainable(stored);
        if (why.isEmpty()) return null;
        List<String> first = new ArrayList<>();
        for (FieldError fe : why.subList(0, Math.min(3, why.size()))) first.add((fe.field().isEmpty() ? "" : fe.field() + ": ") + fe.message());
        return "a remote run whose client sent a config of its own, not a trainwatch run config (" + String.join("; ", first) + "): "
                + what + " trains trainwatch's model from a trainwatch run config";
    }

    /** True when the stored config is a remote run's (its trainer part may be anything its client sent). */
    public static boolean isRemote(JsonNode stored) {
        return stored != null && stored.path("remote").asBoolean(false);
    }
}
