package trainwatch.team;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import trainwatch.event.RunStatus;
import trainwatch.json.Json;
import trainwatch.run.RunLabels;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;

/**
 * Turns an export (JSON lines or CSV, docs/export.md) back into a finished run with the same
 * curves: every value is parsed back to the exact double it was written from. The file is read
 * twice, a line at a time: once to check every line (a bad one refuses the import, naming the
 * line and field, before anything is written), then again to write the run.
 */
public final class Import {
    static final int MAX_TAGS_PER_RECORD = 4096;
    private static final Pattern METRIC_TAG = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    /** A file that cannot be imported: field is "line N" or "line N: values.loss" and friends. */
    public static final class ImportException extends RuntimeException {
        private final String field;

        ImportException(String field, String message) {
            super(field + ": " + message, null, false, false);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    public record Result(String id, String name, long records, long points, long lastStep) {}

    /** One record read from the file. */
    record Row(long step, long t, String[] tags, double[] values) {}

    private Import() {}

    /** Checks the whole file, then creates the run (status finished); name null = from the file. */
    public static Result run(RunStore store, Path file, String name) throws IOException {
        Source first = open(file);
        JsonNode header;
        long records = 0, points = 0, lastStep = -1;
        try (first) {
            header = first.header();
            for (Row r; (r = first.next()) != null; ) {
                if (r.step() < lastStep) throw new ImportException(first.where(), "step " + r.step() + " is lower than the previous step " + lastStep + " (steps never decrease)");
                lastStep = r.step();
                records++;
                points += r.tags().length;
            }
        }
        if (records == 0) throw new ImportException("line 1", "the file holds no scalars: nothing to import");
        ObjectNode config = Json.MAPPER.createObjectNode();
        String runName = name != null ? name : header != null && header.path("name").isTextual() && !header.get("name").asText().isBlank()
                ? header.get("name").asText() : stripExtension(file.getFileName().toString());
        if (header != null && header.path("config").isObject()) config.setAll((ObjectNode) header.get("config"));
        config.put("name", runName);
        config.put("imported", true);
        if (header != null && header.path("id").isTextual()) config.put("imported_from", header.get("id").asText());
        List<String> runTags = new ArrayList<>();
        if (header != null) for (JsonNode t : header.path("run_tags")) if (t.isTextual() && TeamService.TAG.matcher(t.asText()).matches()) runTags.add(t.asText());

        String id = store.newId();
        store.create(id, Json.write(config), RunStatus.RUNNING, "importing " + file.getFileName());
        try (Source again = open(file); RunWriter w = store.openWriter(id)) {
            again.header();
            for (Row r; (r = again.next()) != null; ) w.scalars(r.step(), r.t(), r.tags(), r.values());
            if (!runTags.isEmpty()) RunLabels.write(store.dir(id), runTags);
            w.status(RunStatus.FINISHED, "imported from " + file.getFileName());
        }
        return new Result(id, runName, records, points, lastStep);
    }

    private static String stripExtension(String f) {
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    static Source open(Path file) throws IOException {
        BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        in.mark(1);
        int c = in.read();
        in.reset();
        return c == '{' ? new JsonLines(in) : new Csv(in);
    }

    /** A file read a line at a time. */
    abstract static class Source implements AutoCloseable {
        final BufferedReader in;
        long line;

        Source(BufferedReader in) {
            this.in = in;
        }

        String where() {
            return "line " + line;
        }

        String readLine() throws IOException {
            String s = in.readLine();
            if (s != null) line++;
            return s;
        }

        /** The JSON header line, or null (CSV has none). */
        abstract JsonNode header() throws IOException;

        /** The next record, or null at the end. */
        abstract Row next() throws IOException;

        static double value(String text) {
            return switch (text) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(text);
            };
        }

        void checkTag(String tag, String field) {
            if (tag.length() > 200 || !METRIC_TAG.matcher(tag).matches())
                throw new ImportException(where() + ": " + field, "is not a tag name (segments of letters, digits, _ . - joined by /; got " + TeamService.clip(tag) + ")");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** The JSON-lines export: an optional {"type":"run"} header, then {"type":"scalars","step","t","values"} lines. */
    static final class JsonLines extends Source {
        private String pending;

        JsonLines(BufferedReader in) {
            super(in);
        }

        @Override
        JsonNode header() throws IOException {
            String s = readLine();
            if (s == null) return null;
            JsonNode n = Json.tree(s);
            if (n != null && n.isObject() && "run".equals(n.path("type").asText())) return n;
            pending = s;
            return null;
        }

        @Override
        Row next() throws IOException {
            String s;
            if (pending != null) {
                s = pending;
                pending = null;
            } else s = readLine();
            while (s != null && s.isBlank()) s = readLine();
            if (s == null) return null;
            JsonNode n = Json.tree(s);
            if (n == null || !n.isObject()) throw new ImportException(where(), "is not a JSON object");
            if (!"scalars".equals(n.path("type").asText())) throw new ImportException(where() + ": type", "must be \"scalars\" (got " + TeamService.clip(n.path("type").toString()) + ")");
            long step = integer(n, "step"), t = integer(n, "t");
            JsonNode values = n.get("values");
            if (values == null || !values.isObject() || values.isEmpty()) throw new ImportException(where() + ": values", "must be an object of tag -> number, e.g. {\"loss\": 0.5}");
            if (values.size() > MAX_TAGS_PER_RECORD) throw new ImportException(where() + ": values", "at most " + MAX_TAGS_PER_RECORD + " tags per record");
            String[] tags = new String[values.size()];
            double[] vals = new double[values.size()];
            int i = 0;
            for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); i++) {
                Map.Entry<String, JsonNode> e = it.next();
                String field = "values." + TeamService.clip(e.getKey());
                checkTag(e.getKey(), field);
                JsonNode v = e.getValue();
                tags[i] = e.getKey();
                if (v.isNumber()) vals[i] = v.doubleValue();
                else if (v.isTextual() && (v.asText().equals("NaN") || v.asText().equals("Infinity") || v.asText().equals("-Infinity"))) vals[i] = value(v.asText());
                else throw new ImportException(where() + ": " + field, "must be a number or \"NaN\", \"Infinity\", \"-Infinity\" (got " + TeamService.clip(v.toString()) + ")");
            }
            return new Row(step, t, tags, vals);
        }

        private long integer(JsonNode n, String field) {
            JsonNode v = n.get(field);
            if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.asLong() < 0)
                throw new ImportException(where() + ": " + field, "must be an integer >= 0 (got " + (v == null ? "nothing" : TeamService.clip(v.toString())) + ")");
            return v.asLong();
        }
    }

    /** The CSV export: header step,t,TAG...; a row per record, an empty cell where the record has no value. */
    static final class Csv extends Source {
        private String[] columns;

        Csv(BufferedReader in) {
            super(in);
        }

        @Override
        JsonNode header() throws IOException {
            String s = readLine();
            if (s == null) throw new ImportException("line 1", "the file is empty");
            columns = s.split(",", -1);
            if (columns.length < 3 || !columns[0].equals("step") || !columns[1].equals("t"))
                throw new ImportException("line 1", "a CSV export starts with the header step,t,TAG... (got " + TeamService.clip(s) + ")");
            for (int i = 2; i < columns.length; i++) {
                checkTag(columns[i], "column " + (i + 1));
                for (int j = 2; j < i; j++) if (columns[j].equals(columns[i])) throw new ImportException("line 1: column " + (i + 1), "repeats tag " + columns[i]);
            }
            return null;
        }

        @Override
        Row next() throws IOException {
            String s = readLine();
            while (s != null && s.isEmpty()) s = readLine();
            if (s == null) return null;
            String[] cells = s.split(",", -1);
            if (cells.length != columns.length)
                throw new ImportException(where(), "has " + cells.length + " cells but the header has " + columns.length + " columns");
            long step = integer(cells[0], "step"), t = integer(cells[1], "t");
            int n = 0;
            for (int i = 2; i < cells.length; i++) if (!cells[i].isEmpty()) n++;
            if (n == 0) throw new ImportException(where(), "has no value in any tag column");
            String[] tags = new String[n];
            double[] vals = new double[n];
            int k = 0;
            for (int i = 2; i < cells.length; i++) {
                if (cells[i].isEmpty()) continue;
                tags[k] = columns[i];
                try {
                    vals[k] = value(cells[i].strip());
                } catch (NumberFormatException e) {
                    throw new ImportException(where() + ": " + columns[i], "must be a number, NaN, Infinity or -Infinity (got " + TeamService.clip(cells[i]) + ")");
                }
                k++;
            }
            return new Row(step, t, tags, vals);
        }

        private long integer(String cell, String field) {
            try {
                long v = Long.parseLong(cell.strip());
                if (v >= 0) return v;
            } catch (NumberFormatException e) {
                // below
            }
            throw new ImportException(where() + ": " + field, "must be an integer >= 0 (got " + TeamService.clip(cell) + ")");
        }
    }
}
