package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;

class CrashSafetyTest {
    @TempDir
    Path root;

    static double loss(long step) {
        return step % 13 == 0 ? Double.NaN : 10.0 / (step + 1);
    }

    /** 200 scalars (blocks get sealed) with an alert in the middle and three records at the end. */
    private static void writeSample(RunStore store, String id) {
        store.create(id, "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            for (long s = 0; s < 200; s++) {
                w.scalars(s, new String[] {"loss", "lr/dense1"}, new double[] {loss(s), 0.1});
                if (s == 100) w.alert(s, "plateau", "loss", "flat", "raise lr");
                if (s % 50 == 0) w.flush();
            }
            w.alert(199, "overfitting", "val_loss", "gap grows", "more l2");
            w.scalars(200, new String[] {"loss"}, new double[] {loss(200)});
        }
    }

    @Test
    void a_log_cut_at_any_byte_of_its_last_records_reads_back_every_earlier_record_and_the_writer_appends_after_cutting() throws IOException {
        RunStore base = new RunStore(root.resolve("base"), Clock.systemUTC());
        writeSample(base, "t");
        Path log = base.dir("t").resolve("events.log");
        List<Long> starts = LogFiles.frameStarts(log);
        int frames = starts.size() - 1;
        long end = starts.get(frames);
        List<RunEvent> original;
        try (RunReader r = base.reader("t")) {
            original = r.readFrom(0, 10_000).events();
        }
        long firstCut = starts.get(frames - 2); // every byte of the last alert and the last scalars record
        for (long cut = firstCut; cut < end; cut++) {
            Path dir = root.resolve("cut" + cut);
            LogFiles.copyTree(base.dir("t"), dir.resolve("t"));
            try (FileChannel ch = FileChannel.open(dir.resolve("t").resolve("events.log"), StandardOpenOption.WRITE)) {
                ch.truncate(cut);
            }
            int whole = 0;
            while (starts.get(whole + 1) <= cut) whole++;
            RunStore store = new RunStore(dir, Clock.systemUTC());
            try (RunReader r = store.reader("t")) {
                TailBatch b = r.readFrom(0, 10_000);
                List<RunEvent> expect = eventsIn(original, whole);
                assertEquals(expect, b.events(), "cut at " + cut);
                assertEquals(List.of(), b.problems(), "a torn tail is not corruption (cut at " + cut + ")");
                long lastSeq = expect.get(expect.size() - 1).seq();
                assertEquals(lastSeq, r.lastSeq());
                long losses = expect.stream().filter(e -> e instanceof Scalars s && s.value("loss") != null).count();
                assertEquals(losses, r.series("loss", 10_000, Long.MIN_VALUE, Long.MAX_VALUE).total(), "cut at " + cut);

                try (RunWriter w = store.openWriter("t")) {
                    assertEquals(lastSeq + 1, w.scalars(500, new String[] {"loss"}, new double[] {1.5}));
                }
                TailBatch after = r.readFrom(0, 10_000);
                assertEquals(List.of(), after.problems());
                assertEquals(expect, after.events().subList(0, expect.size()));
                Scalars added = (Scalars) after.events().get(expect.size());
                assertEquals(500, added.step());
                assertEquals(1.5, added.value("loss"));
                assertEquals(losses + 1, r.series("loss", 10_000, Long.MIN_VALUE, Long.MAX_VALUE).total());
            }
        }
    }

    /** The events of the first {@code frames} frames (a tag definition is a frame but no event). */
    private static List<RunEvent> eventsIn(List<RunEvent> original, int frames) {
        // frames: tag defs for "loss" and "lr/dense1" come right before the first scalars record (frames 2 and 3)
        int defs = frames >= 3 ? 2 : Math.max(0, frames - 1);
        return new ArrayList<>(original.subList(0, frames - defs));
    }

    @Test
    void a_tag_whose_definition_was_cut_off_is_defined_again_when_the_writer_resumes() throws IOException {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("td", "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter("td")) {
            w.scalars(0, new String[] {"loss"}, new double[] {1});
            w.scalars(1, new String[] {"loss", "val_acc"}, new double[] {2, 0.5});
        }
        Path log = store.dir("td").resolve("events.log");
        List<Long> starts = LogFiles.frameStarts(log); // def loss, scalars 0, def val_acc, scalars 1
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(starts.get(2) + 6);
        }
        try (RunWriter w = store.openWriter("td")) {
            w.scalars(1, new String[] {"val_acc", "loss"}, new double[] {0.75, 3});
        }
        try (RunReader r = store.reader("td")) {
            TailBatch b = r.readFrom(0, 100);
            assertEquals(List.of(), b.problems());
            assertEquals(2, b.events().size());
            assertEquals(0.75, ((Scalars) b.events().get(1)).value("val_acc"));
            assertEquals(List.of("loss", "val_acc"), r.tags());
            assertEquals(1, r.series("val_acc", 10, 0, 10).total());
        }
    }

    @Test
    void repair_cuts_the_torn_tail_of_a_dead_trainers_run_and_leaves_its_status_alone() throws IOException {
        RunStore store = new RunStore(root, Clock.systemUTC());
        writeSample(store, "rp");
        store.writeState("rp", new StatusRecord(RunStatus.INTERRUPTED, "trainer vanished", 1, 0, 1));
        Path log = store.dir("rp").resolve("events.log");
        long size = Files.size(log);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(size - 3);
        }
        List<String> found = store.repair("rp");
        assertEquals(1, found.size(), found.toString());
        assertTrue(found.get(0).startsWith("cut a torn tail of "), found.get(0));
        assertEquals(LogFiles.frameStarts(log).get(LogFiles.frameStarts(log).size() - 1), Files.size(log), "the log ends on a record boundary");
        assertEquals(RunStatus.INTERRUPTED, store.state("rp").status());
        assertEquals(List.of(), store.repair("rp"), "a second repair finds nothing to do");
    }

    @Test
    void a_flipped_byte_anywhere_in_a_middle_record_is_reported_and_never_returned_as_a_value() throws IOException {
        RunStore store = new RunStore(root, Clock.systemUTC());
        writeSample(store, "f");
        Path log = store.dir("f").resolve("events.log");
        List<Long> starts = LogFiles.frameStarts(log);
        // one record inside a sealed block (read through summaries / raw edges), one in the unsealed last block
        for (int victim : new int[] {60, starts.size() - 5}) {
            long from = starts.get(victim), to = starts.get(victim + 1);
            for (long at = from; at < to; at++) {
                LogFiles.flipByte(log, at);
                try (RunReader r = store.reader("f")) {
                    TailBatch b = r.readFrom(0, 10_000);
                    assertFalse(b.problems().isEmpty(), "flip at " + at + " went unnoticed");
                    assertTrue(b.problems().get(0).contains("corrupt record at byte " + from), b.problems().toString());
                    int scalars = 0;
                    for (RunEvent e : b.events()) {
                        if (!(e instanceof Scalars s)) continue;
                        scalars++;
                        Double v = s.value("loss");
                        if (v != null && !sameValue(loss(s.step()), v)) fail("wrong value " + v + " at step " + s.step());
                    }
                    assertEquals(200, scalars, "exactly the damaged record is skipped (flip at " + at + ")");
                    Series raw = r.series("loss", 10_000, Long.MIN_VALUE, Long.MAX_VALUE);
                    for (int i = 0; i < raw.step().length; i++)
                        if (!sameValue(loss(raw.step()[i]), raw.last()[i])) fail("wrong value at step " + raw.step()[i]);
                    Series coarse = r.series("loss", 7, 0, 150);
                    for (int i = 0; i < coarse.step().length; i++)
                        if (!sameValue(loss(coarse.step()[i]), coarse.last()[i])) fail("wrong bucket value at step " + coarse.step()[i]);
                    assertFalse(r.problems().isEmpty());
                }
                LogFiles.flipByte(log, at);
            }
        }
    }

    private static boolean sameValue(double a, double b) {
        return Double.compare(a, b) == 0;
    }

    @Test
    void summaries_that_run_ahead_of_a_shortened_log_are_ignored_by_readers_and_rebuilt_by_the_writer() throws IOException {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("s", "{}", RunStatus.QUEUED, "");
        List<BruteForce.Point> truth = new ArrayList<>();
        try (RunWriter w = store.openWriter("s")) {
            for (long s = 0; s < 20_000; s++) {
                w.scalars(s, new String[] {"loss"}, new double[] {Math.sin(s * 0.01) + (s % 777 == 0 ? Double.NaN : 0)});
                truth.add(new BruteForce.Point(s, Math.sin(s * 0.01) + (s % 777 == 0 ? Double.NaN : 0)));
            }
        }
        Path dir = store.dir("s");
        List<Long> starts = LogFiles.frameStarts(dir.resolve("events.log"));
        // frame 0 defines the tag, frames 1..9001 hold steps 0..9000; keep those plus a torn piece of the next
        try (FileChannel ch = FileChannel.open(dir.resolve("events.log"), StandardOpenOption.WRITE)) {
            ch.truncate(starts.get(9_002) + 5);
        }
        List<BruteForce.Point> kept = new ArrayList<>(truth.subList(0, 9_001));
        long summaryBytes = Files.size(dir.resolve("index").resolve("tag-0.64"));
        try (RunReader r = store.reader("s")) {
            for (int points : new int[] {1, 10, 1000, 100_000})
                BruteForce.assertSame(BruteForce.series("loss", kept, points, 0, Long.MAX_VALUE), r.series("loss", points, 0, Long.MAX_VALUE),
                        "reader before repair, points=" + points);
        }
        try (RunWriter w = store.openWriter("s")) {
            assertTrue(Files.size(dir.resolve("index").resolve("tag-0.64")) < summaryBytes, "summary entries past the log were dropped");
            for (long s = 9_001; s < 12_000; s++) {
                w.scalars(s, new String[] {"loss"}, new double[] {-s});
                kept.add(new BruteForce.Point(s, -s));
            }
        }
        try (RunReader r = store.reader("s")) {
            for (int points : new int[] {3, 100, 1000, 100_000})
                BruteForce.assertSame(BruteForce.series("loss", kept, points, 0, Long.MAX_VALUE), r.series("loss", points, 0, Long.MAX_VALUE),
                        "after rebuild, points=" + points);
            BruteForce.assertSame(BruteForce.series("loss", kept, 50, 8_000, 9_500), r.series("loss", 50, 8_000, 9_500), "sub-range across the cut");
        }
    }
}
