package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.testkit.OpenFiles;

/**
 * A run being written and read holds a fixed number of file descriptors whatever its number of tags:
 * the writer its log and its trainer lock, a reader its log and its block index. Side files (per-tag
 * summaries, block and rare indexes) are opened only while they are written or read.
 */
class DescriptorBudgetTest {
    @TempDir
    Path root;

    @Test
    void a_writer_holds_two_descriptors_and_a_reader_two_whatever_the_number_of_tags() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        for (int tags : new int[] {1, 40}) {
            String id = "t" + tags;
            store.create(id, "{}", RunStatus.QUEUED, "");
            Path dir = store.dir(id);
            String[] names = new String[tags];
            double[] values = new double[tags];
            for (int i = 0; i < tags; i++) names[i] = "tag_" + i;
            try (RunWriter w = store.openWriter(id); RunReader r = store.reader(id)) {
                w.status(RunStatus.RUNNING, "");
                for (long s = 0; s < 300; s++) { // several sealed 64-step blocks: every tag's summary files written
                    for (int i = 0; i < tags; i++) values[i] = s + i;
                    w.scalars(s, names, values);
                    if (s % 50 == 0) w.flush();
                    if (s == 130) w.alert(s, "plateau", "tag_0", "flat", "raise lr");
                }
                w.flush();
                assertEquals(2, OpenFiles.under(dir), tags + " tags: the writer holds events.log and trainer.lock only");
                assertEquals(299, r.latest().step());
                for (int i = 0; i < tags; i++) assertEquals(300, r.series(names[i], 1000, 0, Long.MAX_VALUE).step().length);
                r.best("tag_0", Goal.MAX);
                assertTrue(OpenFiles.under(dir) <= 4, tags + " tags: writer + reader hold " + OpenFiles.under(dir) + " descriptors");
            }
            assertEquals(0, OpenFiles.under(dir), "nothing stays open after both closed");
            try (RunReader again = store.reader(id)) { // what the writer wrote lazily reads back whole
                assertEquals(299, again.latest().step());
                assertEquals(300, again.series("tag_0", 1000, 0, Long.MAX_VALUE).step().length);
                assertEquals(1, again.alerts().size());
            }
        }
    }
}
