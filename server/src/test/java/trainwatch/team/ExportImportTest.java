package trainwatch.team;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.run.RunLabels;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.store.TailBatch;

/**
 * Export then import gives back the same run: every record's step, wall time, tags and the exact
 * bits of every value (NaN, infinities, -0.0, subnormals, values with 17 significant digits), in
 * both formats. A malformed file is refused naming its line and field, and creates no run.
 */
class ExportImportTest {
    @TempDir
    Path tmp;

    static final double[] EDGES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE,
            -Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL, 0.1, 1.0 / 3, 2.0 / 3 * 1e-300, 123456789.12345678, 1e21, 1e-7, Math.PI};

    /** Records of a run: each scalars record in log order. */
    static List<Scalars> records(RunStore store, String id) {
        List<Scalars> out = new ArrayList<>();
        try (RunReader r = store.reader(id)) {
            long p = 0;
            while (true) {
                TailBatch b = r.readFrom(p, 10_000);
                if (b.events().isEmpty() || b.next() <= p) break;
                p = b.next();
                for (RunEvent e : b.events()) if (e instanceof Scalars s) out.add(s);
            }
        }
        return out;
    }

    static String sourceRun(RunStore store) {
        String id = store.newId();
        store.create(id, "{\"name\":\"edges\",\"dataset\":\"spiral\",\"epochs\":3}", RunStatus.QUEUED, "");
        Random rnd = new Random(7);
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            for (int s = 0; s < 3000; s++) {
                double edge = EDGES[s % EDGES.length];
                double random = Double.longBitsToDouble(rnd.nextLong()); // any bit pattern, NaNs with payloads turned canonical below
                if (Double.isNaN(random)) random = Double.NaN;
                w.scalars(s, 1_764_000_000_000L + 7L * s, new String[] {"loss", "lr/layer0", "update_ratio/layer0"}, new double[] {edge, random, rnd.nextGaussian()});
                if (s % 50 == 49) w.scalars(s, 1_764_000_000_000L + 7L * s + 3, new String[] {"val_acc"}, new double[] {s % 100 == 99 ? Double.NaN : rnd.nextDouble()});
            }
            w.status(RunStatus.FINISHED, "");
        }
        RunLabels.write(store.dir(id), List.of("baseline", "edge-cases"));
        return id;
    }

    Path export(RunStore store, String id, Export.Format f, String tag) throws IOException {
        Path file = tmp.resolve(id + "-" + (tag == null ? "all" : "one") + "." + f.extension);
        try (RunReader r = store.reader(id); Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            Export.Header h = new Export.Header("run", Export.FORMAT_NAME, Export.VERSION, id, "edges", "finished", null, r.tags(), RunLabels.read(store.dir(id)));
            Export.write(r, f, tag, h, w);
        }
        return file;
    }

    static void assertSameBits(List<Scalars> want, List<Scalars> got) {
        assertEquals(want.size(), got.size(), "records");
        for (int i = 0; i < want.size(); i++) {
            Scalars a = want.get(i), b = got.get(i);
            assertEquals(a.step(), b.step(), "step of record " + i);
            assertEquals(a.wallMs(), b.wallMs(), "t of record " + i);
            assertEquals(List.of(a.tags()), List.of(b.tags()), "tags of record " + i);
            for (int k = 0; k < a.values().length; k++)
                assertEquals(Double.doubleToRawLongBits(a.values()[k]), Double.doubleToRawLongBits(b.values()[k]),
                        "bits of " + a.tags()[k] + " in record " + i + ": " + a.values()[k] + " vs " + b.values()[k]);
        }
    }

    @Test
    void export_then_import_round_trips_every_value_bit_for_bit_in_both_formats() throws IOException {
        RunStore store = new RunStore(tmp.resolve("runs"), Clock.systemUTC());
        String id = sourceRun(store);
        List<Scalars> original = records(store, id);
        for (Export.Format f : Export.Format.values()) {
            Import.Result r = Import.run(store, export(store, id, f, null), null);
            assertEquals(RunStatus.FINISHED, store.state(r.id()).status(), f + ": imported as finished");
            List<Scalars> back = records(store, r.id());
            assertSameBits(original, back);
            assertEquals(3000 + 60, r.records());
            if (f == Export.Format.JSONL) {
                assertEquals("edges", r.name(), "the name comes from the header");
                assertEquals(List.of("baseline", "edge-cases"), RunLabels.read(store.dir(r.id())), "team tags come along");
                String config = Files.readString(store.dir(r.id()).resolve("config.json"));
                assertTrue(config.contains("\"imported_from\":\"" + id + "\""), config);
            }
        }
    }

    @Test
    void one_tag_exports_and_imports_alone() throws IOException {
        RunStore store = new RunStore(tmp.resolve("runs"), Clock.systemUTC());
        String id = sourceRun(store);
        List<Scalars> valAcc = new ArrayList<>();
        for (Scalars s : records(store, id)) if (s.value("val_acc") != null) valAcc.add(s);
        for (Export.Format f : Export.Format.values()) {
            Import.Result r = Import.run(store, export(store, id, f, "val_acc"), "just val_acc");
            assertSameBits(valAcc, records(store, r.id()));
            assertEquals("just val_acc", r.name());
        }
    }

    @Test
    void a_malformed_file_is_refused_naming_line_and_field_and_creates_no_run() throws IOException {
        RunStore store = new RunStore(tmp.resolve("runs"), Clock.systemUTC());
        String ok = "{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"loss\":0.5}}\n";
        refused(store, "bad-number.jsonl", ok + "{\"type\":\"scalars\",\"step\":1,\"t\":2,\"values\":{\"loss\":\"lots\"}}\n", "line 2: values.loss");
        refused(store, "bad-step.jsonl", ok + "{\"type\":\"scalars\",\"step\":-1,\"t\":2,\"values\":{\"loss\":1}}\n", "line 2: step");
        refused(store, "back-step.jsonl", "{\"type\":\"scalars\",\"step\":5,\"t\":1,\"values\":{\"loss\":0.5}}\n" + ok, "line 2");
        refused(store, "bad-tag.jsonl", "{\"type\":\"scalars\",\"step\":0,\"t\":1,\"values\":{\"lo ss\":0.5}}\n", "line 1: values.lo ss");
        refused(store, "not-json.jsonl", ok + "{\"type\":\"scalars\",\n", "line 2");
        refused(store, "bad-type.jsonl", ok + "{\"type\":\"alert\",\"step\":1}\n", "line 2: type");
        refused(store, "empty.jsonl", "{\"type\":\"run\",\"name\":\"x\"}\n", "line 1");
        refused(store, "bad-header.csv", "when,loss\n0,1\n", "line 1");
        refused(store, "short-row.csv", "step,t,loss\n0,1,0.5\n1,2\n", "line 3");
        refused(store, "bad-value.csv", "step,t,loss\n0,1,0.5\n1,2,zero\n", "line 3: loss");
        refused(store, "bad-t.csv", "step,t,loss\n0,x,0.5\n", "line 2: t");
        refused(store, "empty.csv", "", "line 1");
        assertEquals(List.of(), store.ids(), "no run was created");
    }

    private void refused(RunStore store, String name, String content, String field) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        Import.ImportException e = assertThrows(Import.ImportException.class, () -> Import.run(store, f, null), name);
        assertEquals(field, e.field(), name + ": " + e.getMessage());
    }
}
