package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.Alert;
import trainwatch.event.CheckResult;
import trainwatch.event.FilterSnapshot;
import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;
import trainwatch.event.StatusChange;

class RecordRoundTripTest {
    @TempDir
    Path root;

    @Test
    void every_record_type_reads_back_exactly_as_written_including_non_finite_values() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("rt", "{}", RunStatus.QUEUED, "");
        float[] w = new float[2 * 1 * 3 * 3];
        for (int i = 0; i < w.length; i++) w[i] = i * 0.25f - 1;
        try (RunWriter wr = store.openWriter("rt")) {
            assertEquals(1, wr.status(RunStatus.RUNNING, "started"));
            assertEquals(2, wr.scalars(0, new String[] {"loss", "lr/conv1"}, new double[] {2.3, 0.01}));
            assertEquals(3, wr.scalars(1, new String[] {"loss", "train_acc"}, new double[] {Double.NaN, 0.5}));
            assertEquals(4, wr.scalars(2, new String[] {"loss"}, new double[] {Double.POSITIVE_INFINITY}));
            assertEquals(5, wr.filters(2, new int[] {2, 1, 3, 3}, w));
            assertEquals(6, wr.alert(2, "nonfinite", "loss", "loss is Infinity", "lower the learning rate"));
            assertEquals(7, wr.check("initial_loss", "pass", "2.31 vs ln(10) = 2.30", "{\"loss\":2.31}"));
            assertEquals(8, wr.status(RunStatus.DIVERGED, "loss became Infinity at step 2"));
        }
        try (RunReader r = store.reader("rt")) {
            TailBatch all = r.readFrom(r.positionAfter(0), 100);
            assertEquals(List.of(), all.problems());
            List<RunEvent> ev = all.events();
            assertEquals(8, ev.size());
            assertEquals(new StatusChange(1, ev.get(0).wallMs(), RunStatus.RUNNING, "started"), ev.get(0));
            assertEquals(new Scalars(2, 0, ev.get(1).wallMs(), new String[] {"loss", "lr/conv1"}, new double[] {2.3, 0.01}), ev.get(1));
            Scalars s3 = assertInstanceOf(Scalars.class, ev.get(2));
            assertTrue(Double.isNaN(s3.value("loss")));
            assertEquals(Double.POSITIVE_INFINITY, ((Scalars) ev.get(3)).value("loss"));
            FilterSnapshot f = assertInstanceOf(FilterSnapshot.class, ev.get(4));
            assertArrayEquals(new int[] {2, 1, 3, 3}, f.shape());
            assertNull(f.data(), "the log carries the notice; floats live in their own file");
            assertEquals(new Alert(6, 2, ev.get(5).wallMs(), "nonfinite", "loss", "loss is Infinity", "lower the learning rate"), ev.get(5));
            assertEquals(new CheckResult(7, ev.get(6).wallMs(), "initial_loss", "pass", "2.31 vs ln(10) = 2.30", "{\"loss\":2.31}"), ev.get(6));
            assertEquals(new StatusChange(8, ev.get(7).wallMs(), RunStatus.DIVERGED, "loss became Infinity at step 2"), ev.get(7));
            assertEquals(8, r.lastSeq());
            assertEquals(all.next(), r.positionAfter(8));
            assertEquals(ev.subList(5, 8), r.readFrom(r.positionAfter(5), 100).events());

            assertEquals(List.of("loss", "lr/conv1", "train_acc"), r.tags());
            assertEquals(List.of(2L), r.filterSteps());
            FilterSnapshot fs = r.filters(2);
            assertArrayEquals(w, fs.data());
            assertEquals(5, fs.seq());
            assertNull(r.filters(3));
            assertEquals(1, r.alerts().size());
            assertEquals("initial_loss", r.checks().get(0).check());
            Scalars latest = r.latest();
            assertEquals(Double.POSITIVE_INFINITY, latest.value("loss"));
            assertEquals(0.5, latest.value("train_acc"));
            assertEquals(1, r.latestStep("train_acc"));
            assertEquals(RunStatus.DIVERGED, r.state().status());
            assertEquals("loss became Infinity at step 2", r.state().reason());
        }
    }

    @Test
    void check_files_written_by_check_processes_merge_with_checks_from_the_log() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("ck", "{}", RunStatus.QUEUED, "");
        try (RunWriter wr = store.openWriter("ck")) {
            wr.check("initial_loss", "pass", "ok", "{}");
        }
        CheckFiles.write(store.dir("ck"), new CheckResult(-1, Long.MAX_VALUE - 1, "gradients", "fail", "rel error 3e-2", "{\"maxRelError\":0.03}"));
        try (RunReader r = store.reader("ck")) {
            List<CheckResult> cs = r.checks();
            assertEquals(List.of("initial_loss", "gradients"), cs.stream().map(CheckResult::check).toList());
            assertEquals("{\"maxRelError\":0.03}", cs.get(1).detailsJson());
            assertEquals("fail", cs.get(1).outcome());
        }
    }

    @Test
    void bad_appends_are_refused_with_a_reason_and_leave_nothing_behind() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("bad", "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter("bad"); RunReader r = store.reader("bad")) {
            w.scalars(5, new String[] {"loss"}, new double[] {1});
            var back = assertThrows(IllegalArgumentException.class,
                    () -> w.scalars(4, new String[] {"loss"}, new double[] {2}));
            assertTrue(back.getMessage().contains("must not decrease"), back.getMessage());
            var name = assertThrows(IllegalArgumentException.class,
                    () -> w.scalars(6, new String[] {"bad tag!"}, new double[] {2}));
            assertTrue(name.getMessage().contains("bad tag!"), name.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> w.scalars(6, new String[] {"loss", "x"}, new double[] {2}));
            assertThrows(IllegalArgumentException.class,
                    () -> w.filters(6, new int[] {1, 1, 2, 2}, new float[3]));
            assertEquals(2, w.scalars(6, new String[] {"loss"}, new double[] {3}), "refused appends use no seq");
            w.flush();
            assertEquals(2, r.readFrom(0, 100).events().size());
            assertEquals(List.of("loss"), r.tags());
        }
    }
}
