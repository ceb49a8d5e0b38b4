package trainwatch.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;

class RunStoreTest {
    @TempDir
    Path root;

    @Test
    void path_tricks_and_malformed_ids_are_rejected_before_touching_the_disk() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        for (String bad : new String[] {"..", "../x", "/etc", "a/b", "Upper", "a".repeat(65), "", "a b", "a\\b", null}) {
            assertFalse(RunStore.validId(bad), "accepted " + bad);
            if (bad != null) {
                assertThrows(IllegalArgumentException.class, () -> store.dir(bad), bad);
                assertThrows(IllegalArgumentException.class, () -> store.reader(bad), bad);
                assertThrows(IllegalArgumentException.class, () -> store.create(bad, "{}", RunStatus.QUEUED, ""), bad);
                assertFalse(store.exists(bad));
            }
        }
        assertTrue(RunStore.validId("a".repeat(64)));
        assertTrue(RunStore.validId("20261126-162433-k3f9"));
    }

    @Test
    void created_runs_are_listed_newest_first_with_their_config_and_status() throws Exception {
        MutableClock clock = new MutableClock(1_000);
        RunStore store = new RunStore(root, clock);
        String a = store.newId();
        assertTrue(RunStore.validId(a), a);
        store.create(a, "{\"name\":\"a\"}", RunStatus.QUEUED, "");
        clock.now = 2_000;
        String b = store.newId();
        store.create(b, "{\"name\":\"b\"}", RunStatus.QUEUED, "waiting");
        assertEquals(List.of(b, a), store.ids());
        assertEquals(RunStatus.QUEUED, store.state(b).status());
        assertEquals("waiting", store.state(b).reason());
        assertEquals(2_000, store.state(b).createdMs());
        try (RunReader r = store.reader(a)) {
            assertEquals("{\"name\":\"a\"}", r.configJson());
            assertEquals(0, r.lastSeq());
            assertEquals(0, r.series("loss", 10, Long.MIN_VALUE, Long.MAX_VALUE).total());
        }
        assertThrows(IllegalStateException.class, () -> store.create(a, "{}", RunStatus.QUEUED, ""));
        assertThrows(RunNotFoundException.class, () -> store.state("nope"));
        store.writeState(a, new StatusRecord(RunStatus.INTERRUPTED, "trainer vanished", 3_000, 0, 1_000));
        assertEquals(RunStatus.INTERRUPTED, store.state(a).status());
        store.delete(a);
        assertEquals(List.of(b), store.ids());
        assertFalse(store.exists(a));
        try (var files = Files.list(root)) {
            assertEquals(1, files.count(), "no leftovers of create/delete");
        }
    }

    @Test
    void the_trainer_lock_says_who_is_alive_and_blocks_a_second_writer_and_deletion() {
        RunStore store = new RunStore(root, Clock.systemUTC());
        store.create("r1", "{}", RunStatus.QUEUED, "");
        assertFalse(store.trainerAlive("r1"));
        try (RunWriter w = store.openWriter("r1")) {
            w.status(RunStatus.RUNNING, "");
            assertTrue(store.trainerAlive("r1"));
            assertTrue(store.trainerAlive("r1"), "probing twice must not drop the writer's lock");
            assertEquals(ProcessHandle.current().pid(), store.state("r1").pid());
            assertThrows(RunBusyException.class, () -> store.openWriter("r1"));
            assertThrows(RunBusyException.class, () -> store.delete("r1"));
        }
        assertFalse(store.trainerAlive("r1"));
        store.delete("r1");
    }

    static final class MutableClock extends Clock {
        long now;

        MutableClock(long now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now);
        }

        @Override
        public long millis() {
            return now;
        }
    }
}
