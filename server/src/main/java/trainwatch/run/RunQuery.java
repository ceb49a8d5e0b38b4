package trainwatch.run;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.json.Json;
import trainwatch.event.RunStatus;

/**
 * One page of the run list (GET /api/runs): filters, a sort and a keyset cursor (the sort
 * value and id of the last row sent), answered from the index's entries. A keyset cursor,
 * not an offset, so runs started or deleted between two pages neither repeat nor skip rows.
 * Runs without a value for the sort key come last in either order.
 */
public record RunQuery(int limit, String cursor, String sort, boolean desc, Set<String> statuses, String q, String sweep,
                       String tag, String owner, Archived archived) {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public enum Archived { EXCLUDE, ONLY, ALL }

    private static final Map<String, Function<RunEntry, Comparable<?>>> KEYS = new TreeMap<>(Map.of(
            "created", RunEntry::created,
            "updated", RunEntry::updated,
            "name", e -> e.name().toLowerCase(Locale.ROOT),
            "status", RunEntry::status,
            "step", RunEntry::step,
            "best_val_acc", RunEntry::bestValAcc,
            "val_acc", e -> finite(e.valAcc()),
            "loss", e -> finite(e.loss()),
            "disk_bytes", RunEntry::diskBytes));

    /** The API's query parameters (absent = null); mistakes are 400s naming the parameter. */
    public static RunQuery parse(Function<String, String> param) {
        int limit = DEFAULT_LIMIT;
        String l = blankToNull(param.apply("limit"));
        if (l != null) {
            try {
                limit = Integer.parseInt(l.trim());
            } catch (NumberFormatException e) {
                throw RunException.invalid("limit", "must be an integer (got " + clip(l) + ")");
            }
            if (limit < 1 || limit > MAX_LIMIT) throw RunException.invalid("limit", "must be between 1 and " + MAX_LIMIT + " (got " + limit + ")");
        }
        String sort = blankToNull(param.apply("sort"));
        if (sort == null) sort = "created";
        if (!KEYS.containsKey(sort)) throw RunException.invalid("sort", "must be one of " + String.join(", ", KEYS.keySet()) + " (got " + clip(sort) + ")");
        String order = blankToNull(param.apply("order"));
        boolean desc;
        if (order == null) desc = !sort.equals("name") && !sort.equals("status");
        else if (order.equals("asc") || order.equals("desc")) desc = order.equals("desc");
        else throw RunException.invalid("order", "must be asc or desc (got " + clip(order) + ")");
        Set<String> statuses = new LinkedHashSet<>();
        String st = blankToNull(param.apply("status"));
        if (st != null) for (String s : st.split(",")) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) continue;
            if (Arrays.stream(RunStatus.values()).noneMatch(v -> v.wire().equals(t)))
                throw RunException.invalid("status", "must be statuses separated by commas, of " + statusNames() + " (got " + clip(s) + ")");
            statuses.add(t);
        }
        String a = blankToNull(param.apply("archived"));
        Archived archived;
        if (a == null || a.equals("false")) archived = Archived.EXCLUDE;
        else if (a.equals("true")) archived = Archived.ONLY;
        else if (a.equals("all")) archived = Archived.ALL;
        else throw RunException.invalid("archived", "must be false (default: hide archived runs), true (only archived) or all (got " + clip(a) + ")");
        String q = blankToNull(param.apply("q"));
        return new RunQuery(limit, blankToNull(param.apply("cursor")), sort, desc, Set.copyOf(statuses),
                q == null ? null : q.trim().toLowerCase(Locale.ROOT), blankToNull(param.apply("sweep")), blankToNull(param.apply("tag")),
                blankToNull(param.apply("owner")), archived);
    }

    /** Runs matching every filter except status (the counts by status are over these). */
    boolean matchesIgnoringStatus(RunEntry e) {
        if (archived == Archived.EXCLUDE && e.archived() || archived == Archived.ONLY && !e.archived()) return false;
        if (q != null && !e.name().toLowerCase(Locale.ROOT).contains(q) && !e.id().contains(q)) return false;
        if (sweep != null && !sweep.equals(e.sweep())) return false;
        if (owner != null && !owner.equals(e.owner())) return false;
        return tag == null || e.tags().contains(tag);
    }

    public boolean matches(RunEntry e) {
        return matchesIgnoringStatus(e) && (statuses.isEmpty() || statuses.contains(e.status()));
    }

    public RunPage page(Collection<RunEntry> all, boolean indexing) {
        Map<String, Integer> counts = new TreeMap<>();
        List<RunEntry> rows = new ArrayList<>();
        for (RunEntry e : all) {
            if (!matchesIgnoringStatus(e)) continue;
            counts.merge(e.status(), 1, Integer::sum);
            if (statuses.isEmpty() || statuses.contains(e.status())) rows.add(e);
        }
        Comparator<RunEntry> order = order();
        rows.sort(order);
        int from = 0;
        if (cursor != null) {
            RunEntry after = decode(cursor);
            from = firstAfter(rows, after, order);
        }
        int to = Math.min(rows.size(), from + limit);
        List<RunEntry> page = List.copyOf(rows.subList(from, to));
        String next = to < rows.size() && !page.isEmpty() ? encode(page.get(page.size() - 1)) : null;
        return new RunPage(page, next, rows.size(), counts, indexing);
    }

    /** Value, then id; missing values last whatever the direction. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    Comparator<RunEntry> order() {
        Function<RunEntry, Comparable<?>> key = KEYS.get(sort);
        Comparator<RunEntry> c = (x, y) -> {
            Comparable a = key.apply(x), b = key.apply(y);
            if (a == null || b == null) return a == b ? 0 : a == null ? 1 : -1;
            int r = a.compareTo(b);
            return desc ? -r : r;
        };
        return c.thenComparing(RunEntry::id, desc ? Comparator.reverseOrder() : Comparator.naturalOrder());
    }

    private static int firstAfter(List<RunEntry> rows, RunEntry after, Comparator<RunEntry> order) {
        int lo = 0, hi = rows.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (order.compare(rows.get(mid), after) <= 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** The cursor carries the sort it belongs to and the last row's key, as base64url JSON (opaque to clients). */
    private String encode(RunEntry last) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("sort", sort).put("desc", desc).put("id", last.id());
        n.set("v", Json.MAPPER.valueToTree(KEYS.get(sort).apply(last)));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(n).getBytes(StandardCharsets.UTF_8));
    }

    /** A stand-in entry with the cursor's key, to compare rows against. */
    private RunEntry decode(String c) {
        JsonNode n;
        try {
            n = Json.tree(new String(Base64.getUrlDecoder().decode(c), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            n = null;
        }
        if (n == null || !n.path("id").isTextual() || !n.has("v")) throw RunException.invalid("cursor", "is not a cursor this server gave (pass next_cursor back unchanged)");
        if (!sort.equals(n.path("sort").asText()) || desc != n.path("desc").asBoolean())
            throw RunException.invalid("cursor", "belongs to another sort or order: start again without a cursor");
        JsonNode v = n.get("v");
        boolean none = v.isNull();
        String id = n.get("id").asText();
        long lv = v.asLong();
        Double dv = none ? null : v.asDouble();
        String text = none ? null : v.asText();
        return switch (sort) {
            case "created" -> stub(id, "", "", lv, 0, 0, null, null, null, 0);
            case "updated" -> stub(id, "", "", 0, lv, 0, null, null, null, 0);
            case "name" -> stub(id, text, "", 0, 0, 0, null, null, null, 0);
            case "status" -> stub(id, "", text, 0, 0, 0, null, null, null, 0);
            case "step" -> stub(id, "", "", 0, 0, lv, null, null, null, 0);
            case "best_val_acc" -> stub(id, "", "", 0, 0, 0, dv, null, null, 0);
            case "val_acc" -> stub(id, "", "", 0, 0, 0, null, dv, null, 0);
            case "loss" -> stub(id, "", "", 0, 0, 0, null, null, dv, 0);
            default -> stub(id, "", "", 0, 0, 0, null, null, null, lv);
        };
    }

    private static RunEntry stub(String id, String name, String status, long created, long updated, long step, Double best, Double valAcc,
                                 Double loss, long disk) {
        return new RunEntry(id, name, "", status, "", null, created, updated, step, null, 0, loss, valAcc, best, null, List.of(), null,
                null, false, disk, null);
    }

    private static Double finite(Double v) {
        return v == null || !Double.isFinite(v) ? null : v;
    }

    private static String statusNames() {
        return String.join(", ", Arrays.stream(RunStatus.values()).map(RunStatus::wire).toList());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String clip(String v) {
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }
}
