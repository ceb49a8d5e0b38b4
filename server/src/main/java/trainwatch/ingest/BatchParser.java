package trainwatch.ingest;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.json.Json;
import trainwatch.run.Problem;

/**
 * Turns a records body into validated records, or refuses the whole batch naming each bad row and
 * field ({@code records[3].values.loss}): nothing of a bad batch is stored. Shapes only; whether steps
 * keep increasing after what is stored already is the run's to judge (RemoteRun).
 */
final class BatchParser {
    private static final int MAX_PROBLEMS = 20;
    private static final Set<String> TYPES = Set.of("scalars", "filters", "alert", "check", "status");
    private static final int MAX_TEXT = 4096;

    private final IngestLimits limits;
    private final List<Problem> problems = new ArrayList<>();

    private BatchParser(IngestLimits limits) {
        this.limits = limits;
    }

    static Batch parse(byte[] body, IngestLimits limits) {
        return new BatchParser(limits).batch(body);
    }

    /** The body of POST /api/ingest/runs as a tree; a caller's mistake is a 400 naming what is wrong. */
    static JsonNode object(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw IngestException.of(400, "", "body is not valid JSON: " + clip(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw IngestException.of(400, "", "body could not be read");
        }
        if (root == null || !root.isObject()) throw IngestException.of(400, "", "body must be a JSON object");
        return root;
    }

    private Batch batch(byte[] body) {
        JsonNode root = object(body);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("seq") && !f.equals("records")) problem(f, "is not a field of a batch (seq, records)");
        }
        JsonNode seq = root.get("seq");
        long first = 0;
        if (seq == null) problem("seq", "is required: the seq of the batch's first record");
        else if (!seq.isIntegralNumber() || !seq.canConvertToLong() || seq.asLong() < 0) problem("seq", "must be an integer >= 0 (got " + clip(seq.toString()) + ")");
        else first = seq.asLong();
        JsonNode recs = root.get("records");
        List<IngestRecord> out = new ArrayList<>();
        if (recs == null || !recs.isArray()) {
            problem("records", "is required: an array of records");
        } else {
            if (recs.size() > limits.maxRecords())
                throw IngestException.tooLarge("records", "has " + recs.size() + " records; at most " + limits.maxRecords() + " per batch");
            for (int i = 0; i < recs.size() && problems.size() < MAX_PROBLEMS; i++) {
                IngestRecord r = record(recs.get(i), "records[" + i + "]");
                if (r != null) out.add(r);
            }
        }
        if (!problems.isEmpty()) throw IngestException.invalid(problems);
        return new Batch(first, out);
    }

    private IngestRecord record(JsonNode r, String at) {
        if (r == null || !r.isObject()) return problem(at, "must be an object with a \"type\"");
        JsonNode type = r.get("type");
        if (type == null || !type.isTextual()) return problem(at + ".type", "is required: one of " + String.join(", ", sorted(TYPES)));
        return switch (type.asText()) {
            case "scalars" -> scalars(r, at);
            case "filters" -> filters(r, at);
            case "alert" -> alert(r, at);
            case "check" -> check(r, at);
            case "status" -> status(r, at);
            default -> problem(at + ".type", "must be one of " + String.join(", ", sorted(TYPES)) + " (got " + clip(type.asText()) + ")");
        };
    }

    private IngestRecord scalars(JsonNode r, String at) {
        int before = problems.size();
        only(r, at, "type", "step", "t", "values");
        long step = step(r, at);
        long t = time(r, at);
        JsonNode values = r.get("values");
        if (values == null || !values.isObject()) return problem(at + ".values", "is required: an object of tag -> number");
        if (values.size() > limits.maxTagsPerRow())
            throw IngestException.tooLarge(at + ".values", "has " + values.size() + " tags; at most " + limits.maxTagsPerRow() + " per row");
        List<String> tags = new ArrayList<>(values.size());
        List<Double> vals = new ArrayList<>(values.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = at + ".values." + clip(e.getKey());
            try {
                new Scalars(0, 0, 0, new String[] {e.getKey()}, new double[] {0}); // the store's tag-name rule
            } catch (IllegalArgumentException bad) {
                problem(where, "is not a valid tag name: segments of letters, digits, _ . - joined by /, at most 200 characters");
                continue;
            }
            JsonNode v = e.getValue();
            if (v.isNull()) continue; // no value of this tag at this step
            Double d = number(v);
            if (d == null) {
                problem(where, "must be a number, null, or one of \"NaN\", \"Infinity\", \"-Infinity\" (got " + clip(v.toString()) + ")");
                continue;
            }
            tags.add(e.getKey());
            vals.add(d);
        }
        if (problems.size() != before) return null;
        double[] v = new double[vals.size()];
        for (int i = 0; i < v.length; i++) v[i] = vals.get(i);
        return new IngestRecord.ScalarsRow(step, t, tags.toArray(new String[0]), v);
    }

    private IngestRecord filters(JsonNode r, String at) {
        int before = problems.size();
        only(r, at, "type", "step", "t", "shape", "data");
        long step = step(r, at);
        long t = time(r, at);
        JsonNode shapeNode = r.get("shape");
        int[] shape = null;
        long n = 1;
        if (shapeNode == null || !shapeNode.isArray() || shapeNode.size() != 4) {
            problem(at + ".shape", "is required: 4 positive integers [nOut, nIn, kH, kW]");
        } else {
            shape = new int[4];
            for (int i = 0; i < 4; i++) {
                JsonNode d = shapeNode.get(i);
                if (!d.isIntegralNumber() || d.asLong() < 1 || d.asLong() > 1_000_000) {
                    problem(at + ".shape[" + i + "]", "must be an integer in 1..1000000 (got " + clip(d.toString()) + ")");
                    shape = null;
                    break;
                }
                shape[i] = d.asInt();
                n *= shape[i];
            }
        }
        if (shape != null && n > limits.maxFilterFloats())
            throw IngestException.tooLarge(at + ".shape", "holds " + n + " floats; at most " + limits.maxFilterFloats() + " per snapshot");
        JsonNode data = r.get("data");
        float[] floats = null;
        if (data == null) {
            problem(at + ".data", "is required: the floats in [nOut][nIn][kH][kW] order, as an array or base64 little-endian float32");
        } else if (data.isTextual()) {
            try {
                byte[] b = Base64.getDecoder().decode(data.asText());
                if (b.length % 4 != 0) problem(at + ".data", "base64 must decode to whole float32s (got " + b.length + " bytes)");
                else {
                    floats = new float[b.length / 4];
                    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(floats);
                }
            } catch (IllegalArgumentException e) {
                problem(at + ".data", "is not valid base64");
            }
        } else if (data.isArray()) {
            floats = new float[data.size()];
            for (int i = 0; i < floats.length; i++) {
                Double d = number(data.get(i));
                if (d == null) {
                    problem(at + ".data[" + i + "]", "must be a number (got " + clip(data.get(i).toString()) + ")");
                    break;
                }
                floats[i] = d.floatValue();
            }
        } else {
            problem(at + ".data", "must be an array of numbers or a base64 string");
        }
        if (shape != null && floats != null && floats.length != n)
            problem(at + ".data", "has " + floats.length + " floats but shape " + java.util.Arrays.toString(shape) + " needs " + n);
        if (problems.size() != before) return null;
        return new IngestRecord.FiltersRow(step, t, shape, floats);
    }

    private IngestRecord alert(JsonNode r, String at) {
        int before = problems.size();
        only(r, at, "type", "step", "t", "kind", "tag", "message", "advice");
        long step = step(r, at);
        long t = time(r, at);
        String kind = text(r, at, "kind", true);
        String tag = text(r, at, "tag", false);
        String message = text(r, at, "message", true);
        String advice = text(r, at, "advice", false);
        if (problems.size() != before) return null;
        return new IngestRecord.AlertRow(step, t, kind, tag, message, advice);
    }

    private IngestRecord check(JsonNode r, String at) {
        int before = problems.size();
        only(r, at, "type", "check", "outcome", "summary", "details");
        String check = text(r, at, "check", true);
        String outcome = text(r, at, "outcome", true);
        if (outcome != null && !List.of("pass", "warn", "fail").contains(outcome))
            problem(at + ".outcome", "must be one of pass, warn, fail (got " + clip(outcome) + ")");
        String summary = text(r, at, "summary", false);
        JsonNode details = r.get("details");
        if (details != null && !details.isObject()) problem(at + ".details", "must be an object");
        if (problems.size() != before) return null;
        return new IngestRecord.CheckRow(check, outcome, summary, details == null ? "{}" : details.toString());
    }

    private IngestRecord status(JsonNode r, String at) {
        int before = problems.size();
        only(r, at, "type", "status", "reason");
        String s = text(r, at, "status", true);
        String reason = text(r, at, "reason", false);
        RunStatus status = null;
        if (s != null) {
            switch (s) {
                case "running", "finished", "failed", "diverged", "stopped" -> status = RunStatus.fromWire(s);
                default -> problem(at + ".status", "must be one of running, finished, failed, diverged, stopped (got " + clip(s) + ")");
            }
        }
        if (problems.size() != before) return null;
        return new IngestRecord.StatusRow(status, reason);
    }

    private void only(JsonNode r, String at, String... allowed) {
        Set<String> ok = Set.of(allowed);
        for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!ok.contains(f)) problem(at + "." + clip(f), "is not a field of a " + r.get("type").asText() + " record (" + String.join(", ", allowed) + ")");
        }
    }

    private long step(JsonNode r, String at) {
        JsonNode s = r.get("step");
        if (s == null) {
            problem(at + ".step", "is required: the 0-based iteration");
            return 0;
        }
        if (!s.isIntegralNumber() || !s.canConvertToLong() || s.asLong() < 0) {
            problem(at + ".step", "must be an integer >= 0 (got " + clip(s.toString()) + ")");
            return 0;
        }
        return s.asLong();
    }

    private long time(JsonNode r, String at) {
        JsonNode t = r.get("t");
        if (t == null || t.isNull()) return -1;
        if (!t.isIntegralNumber() || !t.canConvertToLong() || t.asLong() < 0) {
            problem(at + ".t", "must be wall-clock milliseconds since 1970, an integer >= 0 (got " + clip(t.toString()) + ")");
            return -1;
        }
        return t.asLong();
    }

    private String text(JsonNode r, String at, String field, boolean required) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            if (required) problem(at + "." + field, "is required: a string");
            return required ? null : "";
        }
        if (!v.isTextual()) {
            problem(at + "." + field, "must be a string (got " + clip(v.toString()) + ")");
            return null;
        }
        if (v.asText().length() > MAX_TEXT) {
            problem(at + "." + field, "must be at most " + MAX_TEXT + " characters (got " + v.asText().length() + ")");
            return null;
        }
        if (required && v.asText().isBlank()) {
            problem(at + "." + field, "must not be empty");
            return null;
        }
        return v.asText();
    }

    /** A JSON number, or the strings the wire uses for non-finite values; null for anything else. */
    static Double number(JsonNode v) {
        if (v.isNumber()) return v.asDouble();
        if (v.isTextual()) {
            return switch (v.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity", "+Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> null;
            };
        }
        return null;
    }

    private <T> T problem(String field, String message) {
        if (problems.size() < MAX_PROBLEMS) problems.add(new Problem(field, message));
        return null;
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }

    static String clip(String s) {
        if (s == null) return "null";
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
