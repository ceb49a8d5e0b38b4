package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunEvent;
import trainwatch.event.RunStatus;
import trainwatch.event.Scalars;

class ConcurrentReadTest {
    @TempDir
    Path root;

    @Test
    void a_reader_sees_each_flushed_record_while_the_writer_is_still_writing() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("live", "{}", RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter("live"); RunReader r = store.reader("live")) {
            long pos = r.positionAfter(0);
            long seen = 0;
            for (long step = 0; step < 3_000; step++) {
                long seq = w.scalars(step, new String[] {"loss"}, new double[] {step * 0.5});
                if (step % 7 != 0) continue;
                w.flush();
                TailBatch b = r.readFrom(pos, 1_000);
                assertEquals(List.of(), b.problems());
                for (RunEvent e : b.events()) {
                    Scalars s = (Scalars) e;
                    assertEquals(++seen, s.seq(), "records arrive in order, none missing");
                    assertEquals(s.step() * 0.5, s.value("loss"));
                }
                assertEquals(seq, seen, "everything flushed is visible");
                assertEquals(seq, r.lastSeq());
                assertEquals(step * 0.5, r.latest().value("loss"));
                assertEquals(step + 1, r.series("loss", 100, 0, Long.MAX_VALUE).total());
                pos = b.next();
            }
        }
    }

    @Test
    void a_trainer_process_killed_with_sigkill_leaves_every_earlier_record_readable_and_its_torn_tail_skipped() throws Exception {
        for (String mode : new String[] {"tear", "run"}) {
            RunStore store = new RunStore(root, Clock.systemUTC());
            String id = "kill-" + mode;
            store.create(id, "{}", RunStatus.QUEUED, "");
            Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                    AppendUntilKilled.class.getName(), root.toString(), id, mode)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            long flushed = -1;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 RunReader live = store.reader(id)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                long pos = 0, seen = 0;
                int lines = 0;
                String line;
                while ((line = out.readLine()) != null && System.nanoTime() < deadline) {
                    if (line.startsWith("flushed ")) flushed = Long.parseLong(line.substring(8));
                    if (line.startsWith("torn ") || (mode.equals("run") && flushed >= 20_000)) break;
                    // read while the other process writes: every value exact, nothing reported as damaged
                    TailBatch b = live.readFrom(pos, 100_000);
                    assertEquals(List.of(), b.problems());
                    for (RunEvent e : b.events()) {
                        if (!(e instanceof Scalars s)) continue;
                        assertEquals(seen++, s.step());
                        assertEquals(AppendUntilKilled.loss(s.step()), s.value("loss"));
                    }
                    pos = b.next();
                    if (++lines % 25 == 0) {
                        Series sr = live.series("loss", 1_000, 0, Long.MAX_VALUE);
                        assertTrue(sr.total() >= flushed - 1);
                        for (int i = 0; i < sr.step().length; i++)
                            assertEquals(AppendUntilKilled.loss(sr.step()[i]), sr.last()[i], "a bucket's value is its last point's");
                    }
                }
                assertTrue(flushed > 0, "the child trainer never reported progress");
                assertTrue(store.trainerAlive(id), "a live trainer holds the lock");
                try (RunReader r = store.reader(id)) {
                    assertTrue(r.lastSeq() >= flushed, "a reader in another process sees what was flushed");
                }
                p.destroyForcibly();
                assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            }
            assertFalse(store.trainerAlive(id), "the OS released the dead trainer's lock");
            try (RunReader r = store.reader(id)) {
                TailBatch b = r.readFrom(0, Integer.MAX_VALUE);
                assertEquals(List.of(), b.problems(), mode + ": a torn tail is skipped quietly");
                List<Scalars> scalars = new ArrayList<>();
                for (RunEvent e : b.events()) if (e instanceof Scalars s) scalars.add(s);
                assertTrue(scalars.size() >= flushed - 1, mode + ": every flushed record reads back");
                for (int i = 0; i < scalars.size(); i++) {
                    Scalars s = scalars.get(i);
                    assertEquals(i, s.step());
                    assertEquals(AppendUntilKilled.loss(i), s.value("loss"));
                }
                if (mode.equals("tear")) assertEquals(3_000, scalars.size());
                Series all = r.series("loss", 1_000_000, 0, Long.MAX_VALUE);
                assertEquals(scalars.size(), all.total());
                long last = scalars.size() - 1;
                try (RunWriter w = store.openWriter(id)) {
                    assertEquals(r.lastSeq() + 1, w.scalars(last + 1, new String[] {"loss"}, new double[] {0.25}));
                    w.status(RunStatus.FINISHED, "");
                }
                assertEquals(0.25, r.latest().value("loss"));
                assertEquals(List.of(), r.readFrom(0, Integer.MAX_VALUE).problems());
            }
        }
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
