package trainwatch.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.event.Tags;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;

/** Computes one run's list entry from its directory (one reader, opened by the caller and closed right after). */
final class EntryBuilder {
    static final String UNREADABLE_FILES = "unreadable run files (the reason is in the server's log)";

    private EntryBuilder() {}

    static RunEntry build(RunStore store, String id, RunReader r, boolean archived) {
        // the status the run page shows: a trainer logs its end just before it rewrites status.json
        StatusRecord s = EffectiveStatus.read(store, id).orNewerLogged(r.statusHistory());
        String configText = r.configJson();
        JsonNode config = Json.tree(configText);
        Scalars latest = r.latest();
        Double loss = latest == null ? null : latest.value(Tags.LOSS);
        Double valAcc = latest == null ? null : latest.value(Tags.VAL_ACC);
        BestValAcc.Best best = BestValAcc.of(id, r);
        return new RunEntry(id, text(config, "name"), text(config, "dataset"), s.status().wire(), s.reason(), digest(config),
                s.createdMs(), s.updatedMs(), latest == null ? -1 : latest.step(), RunViews.totalSteps(config), r.lastSeq(),
                loss, valAcc, best.value(), best.step(), RunLabels.read(store.dir(id)), RunOwner.read(store.dir(id)), sweepOf(store.dir(id)), archived, diskBytes(store.dir(id)),
                RemoteOrigin.of(config));
    }

    /**
     * A live run whose log grew and nothing else (status, archive marker, tags unchanged): the old entry with the
     * reader's progress (step, seq, latest loss and val_acc, best val_acc) and the given disk use; null when the log
     * holds a newer status than the entry (a trainer logs its end before it rewrites status.json): compute it whole.
     */
    static RunEntry progress(String id, RunEntry old, RunReader r, long diskBytes) {
        List<trainwatch.event.StatusChange> logged = r.statusHistory();
        if (!logged.isEmpty() && !logged.get(logged.size() - 1).status().wire().equals(old.status())) return null;
        Scalars latest = r.latest();
        BestValAcc.Best best = BestValAcc.of(id, r);
        return new RunEntry(id, old.name(), old.dataset(), old.status(), old.reason(), old.configDigest(), old.created(), old.updated(),
                latest == null ? -1 : latest.step(), old.totalSteps(), r.lastSeq(), latest == null ? null : latest.value(Tags.LOSS),
                latest == null ? null : latest.value(Tags.VAL_ACC), best.value(), best.step(), old.tags(), old.owner(), old.sweep(),
                old.archived(), diskBytes, old.remote());
    }

    /** The sweep a trial run belongs to (its sweep.json, written with the run: docs/sweeps.md), or null. */
    static String sweepOf(Path dir) {
        Path f = dir.resolve(SWEEP_FILE);
        if (!Files.isRegularFile(f)) return null;
        try {
            JsonNode n = Json.tree(Files.readString(f));
            return n != null && n.path("sweep").isTextual() ? n.get("sweep").asText() : null;
        } catch (IOException | java.io.UncheckedIOException e) {
            return null;
        }
    }

    static final String SWEEP_FILE = "sweep.json";

    /** A run whose files cannot be read is listed as failed, never left out. */
    static RunEntry unreadable(RunStore store, String id, boolean archived) {
        long when = EffectiveStatus.modifiedMs(store, id);
        return new RunEntry(id, "", "", RunStatus.FAILED.wire(), UNREADABLE_FILES, null, when, when, -1, null, -1,
                null, null, null, null, RunLabels.read(store.dir(id)), RunOwner.read(store.dir(id)), sweepOf(store.dir(id)), archived, diskBytes(store.dir(id)), null);
    }

    static long diskBytes(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.mapToLong(p -> {
                try {
                    return Files.isRegularFile(p) ? Files.size(p) : 0;
                } catch (IOException e) {
                    return 0; // deleted while we walked
                }
            }).sum();
        } catch (IOException | java.io.UncheckedIOException e) {
            return 0;
        }
    }

    /** First 12 hex digits of the SHA-256 of config.json without its name: runs with equal digests ran the same settings. */
    static String digest(JsonNode config) {
        if (config == null || !config.isObject()) return null;
        com.fasterxml.jackson.databind.node.ObjectNode c = config.deepCopy();
        c.remove("name"); // the same settings under another name are the same config
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.write(c).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode n, String field) {
        return n == null || !n.hasNonNull(field) ? "" : n.get(field).asText();
    }
}
