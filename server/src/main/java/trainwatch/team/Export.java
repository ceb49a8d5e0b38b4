package trainwatch.team;

import java.io.IOException;
import java.io.Writer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunEvent;
import trainwatch.event.Scalars;
import trainwatch.json.Json;
import trainwatch.store.RunReader;
import trainwatch.store.TailBatch;

/**
 * A run's every scalar, streamed from its log a batch of records at a time (constant memory
 * whatever the run's length; docs/export.md). One line per scalars record, in log order, so the
 * records of one step stay as the trainer wrote them. Values are written with
 * {@link Double#toString}, which reads back to the same double, and non-finite ones as NaN,
 * Infinity, -Infinity (quoted strings in JSON lines, bare words in CSV).
 */
public final class Export {
    /** Records read from the log per batch: the only thing held in memory. */
    static final int BATCH = 4096;
    public static final String FORMAT_NAME = "trainwatch-export";
    public static final int VERSION = 1;

    public enum Format {
        CSV("text/csv; charset=utf-8", "csv"), JSONL("application/x-ndjson; charset=utf-8", "jsonl");

        public final String contentType;
        public final String extension;

        Format(String contentType, String extension) {
            this.contentType = contentType;
            this.extension = extension;
        }
    }

    /** The first JSON line: what the run is, so an import can recreate it (config, name, team tags). */
    public record Header(String type, String format, int version, String id, String name, String status, JsonNode config,
                         List<String> metricTags, List<String> runTags) {}

    private Export() {}

    /** tag null = every tag. Records after the log's end when the export began are left out (a running run keeps growing). */
    public static void write(RunReader r, Format format, String tag, Header header, Writer out) throws IOException {
        List<String> tags = tag == null ? r.tags() : List.of(tag);
        Map<String, Integer> column = new HashMap<>();
        for (int i = 0; i < tags.size(); i++) column.put(tags.get(i), i);
        long until = r.lastSeq();
        if (format == Format.JSONL) out.write(Json.write(header) + "\n");
        else {
            out.write("step,t");
            for (String t : tags) out.write("," + t); // tag names are [A-Za-z0-9_.-/]: nothing to quote
            out.write("\n");
        }
        StringBuilder line = new StringBuilder(256);
        String[] cells = new String[tags.size()];
        long position = 0;
        while (true) {
            TailBatch b = r.readFrom(position, BATCH);
            if (b.events().isEmpty() || b.next() <= position) break;
            position = b.next();
            boolean done = false;
            for (RunEvent e : b.events()) {
                if (e.seq() > until) {
                    done = true;
                    break;
                }
                if (!(e instanceof Scalars s)) continue;
                line.setLength(0);
                if (format == Format.JSONL) {
                    if (!jsonl(s, tag, line)) continue;
                } else if (!csv(s, column, cells, line)) continue;
                out.write(line.append('\n').toString());
            }
            if (done) break;
        }
        out.flush();
    }

    /** {"type":"scalars","step":S,"t":MS,"values":{"loss":0.5,"acc":"NaN"}}: the ingest API's record shape. */
    private static boolean jsonl(Scalars s, String only, StringBuilder line) {
        line.append("{\"type\":\"scalars\",\"step\":").append(s.step()).append(",\"t\":").append(s.wallMs()).append(",\"values\":{");
        boolean any = false;
        for (int i = 0; i < s.tags().length; i++) {
            if (only != null && !only.equals(s.tags()[i])) continue;
            if (any) line.append(',');
            any = true;
            line.append('"').append(s.tags()[i]).append("\":");
            double v = s.values()[i];
            if (Double.isFinite(v)) line.append(Double.toString(v));
            else line.append('"').append(Double.toString(v)).append('"');
        }
        line.append("}}");
        return any;
    }

    private static boolean csv(Scalars s, Map<String, Integer> column, String[] cells, StringBuilder line) {
        java.util.Arrays.fill(cells, null);
        boolean any = false;
        for (int i = 0; i < s.tags().length; i++) {
            Integer c = column.get(s.tags()[i]);
            if (c == null) continue;
            cells[c] = Double.toString(s.values()[i]);
            any = true;
        }
        if (!any) return false;
        line.append(s.step()).append(',').append(s.wallMs());
        for (String c : cells) {
            line.append(',');
            if (c != null) line.append(c);
        }
        return true;
    }
}
