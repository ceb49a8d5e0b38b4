package trainwatch.live;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.event.RunStatus;
import trainwatch.run.Launcher;
import trainwatch.run.ReaderPool;
import trainwatch.run.RunIndex;
import trainwatch.run.Supervisor;
import trainwatch.store.RunStore;
import trainwatch.store.RunWriter;
import trainwatch.store.StatusRecord;

/**
 * /api/live's run list is pushed for what the server does itself and polled only for what other
 * processes do. The feed here polls once at start and then once an hour, so a message that
 * arrives within the (generous) deadline was pushed, not found by a poll.
 */
class RunListPushTest {
    private static final long NEVER_MS = 3_600_000;
    private static final String CONFIG = "{\"name\":\"push\",\"dataset\":\"spiral\"}";

    @TempDir
    Path runs;
    RunStore store;
    ReaderPool readers;
    RunIndex index;
    RunListFeed feed;
    final AtomicReference<Set<String>> watched = new AtomicReference<>(Set.of());
    final RecordingSink client = new RecordingSink(false);

    @BeforeEach
    void start() {
        store = new RunStore(runs, Clock.systemUTC());
        readers = new ReaderPool(store);
        index = new RunIndex(store, readers, Clock.systemUTC());
        index.load();
        index.scanInBackground();
        await("the start-up check of an empty runs/", index::indexing, false);
        feed = new RunListFeed(index, watched::set, LiveLimits.defaults());
        feed.start(NEVER_MS);
        feed.connect(client);
    }

    @AfterEach
    void stop() {
        feed.close();
        index.close();
        readers.close();
    }

    @Test
    void a_run_the_server_creates_stops_and_deletes_reaches_clients_and_the_hub_without_waiting_for_a_poll() {
        String id = "20261203-120000-push";
        store.create(id, CONFIG, RunStatus.QUEUED, "");
        index.touch(id); // what RunService.create does
        awaitRun(id, "queued");
        await("counts with one queued run", () -> lastCounts().get("total").asInt() == 1 && lastCounts().get("counts").path("queued").asInt() == 1, true);
        await("the hub told to tail the new run", () -> watched.get().contains(id), true);

        StatusRecord s = store.state(id);
        store.writeState(id, new StatusRecord(RunStatus.STOPPED, "stopped before it started", System.currentTimeMillis(), 0, s.createdMs()));
        feed.reread(id); // what the supervisor's listener does after writing a status
        awaitRun(id, "stopped");
        await("the hub no longer tails it", () -> !watched.get().contains(id), true);

        store.delete(id);
        index.touch(id); // what RunService.delete does
        await("removed", () -> messages("removed").stream().anyMatch(m -> m.get("id").asText().equals(id)), true);
        await("counts with no run", () -> lastCounts().get("total").asInt() == 0, true);
    }

    @Test
    void a_run_another_process_starts_finishes_and_deletes_is_found_by_the_poll_even_when_runs_was_unchanged_for_long() throws IOException {
        // runs/ untouched for a minute: the poll may trust its last listing, and must still see a new directory
        Files.setLastModifiedTime(runs, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        feed.refresh();
        feed.refresh();
        String id = "20261203-120001-cli";
        store.create(id, CONFIG, RunStatus.QUEUED, "");
        try (RunWriter w = store.openWriter(id)) {
            w.status(RunStatus.RUNNING, "");
            w.flush();
            feed.refresh();
            awaitRun(id, "running");
            await("counts with one running run", () -> lastCounts().get("counts").path("running").asInt() == 1, true);
            w.status(RunStatus.FINISHED, "");
        }
        feed.refresh();
        awaitRun(id, "finished");

        Files.setLastModifiedTime(runs, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        feed.refresh();
        feed.refresh();
        store.delete(id); // by another process: no touch
        feed.refresh();
        await("removed", () -> messages("removed").stream().anyMatch(m -> m.get("id").asText().equals(id)), true);
    }

    @Test
    void the_index_tells_its_listener_of_every_entry_it_adds_changes_or_removes_and_of_nothing_else() {
        List<String> told = new CopyOnWriteArrayList<>();
        index.onChange(told::add);
        String id = "20261203-120002-told";
        store.create(id, CONFIG, RunStatus.QUEUED, "");
        index.touch(id);
        assertEquals(List.of(id), told);
        index.touch(id); // nothing changed on disk
        index.refresh();
        assertEquals(List.of(id), told, "an unchanged run is not told again");
        StatusRecord s = store.state(id);
        store.writeState(id, new StatusRecord(RunStatus.STOPPED, "", System.currentTimeMillis(), 0, s.createdMs()));
        index.refresh(); // a queued run is live: the poll re-reads it
        assertEquals(List.of(id, id), told);
        store.delete(id);
        index.touch(id);
        assertEquals(List.of(id, id, id), told);
    }

    @Test
    void the_supervisor_tells_of_a_trainer_exit_and_of_the_status_it_writes_then() throws Exception {
        List<String> told = new CopyOnWriteArrayList<>();
        Launcher exitsAtOnce = new Launcher() {
            @Override
            public Process startTrainer(String id) throws IOException {
                return new ProcessBuilder("true").start(); // a trainer that dies without a final status
            }

            @Override
            public Process startCheck(String id, String check) throws IOException {
                return new ProcessBuilder("true").start();
            }
        };
        Supervisor sup = new Supervisor(store, exitsAtOnce, Clock.systemUTC(), 1, 10_000);
        sup.onStatusChange(told::add);
        sup.onStatusChange(feed::reread);
        String id = "20261203-120003-exit";
        store.create(id, CONFIG, RunStatus.QUEUED, "");
        index.touch(id);
        try {
            sup.start();
            sup.submit(id);
            // its exit is told at once; the supervisor's tick then writes 'interrupted' and tells that too
            await("the supervisor marked it interrupted and told the feed", () -> messages("run").stream()
                    .anyMatch(m -> m.get("run").get("id").asText().equals(id) && m.get("run").get("status").asText().equals("interrupted")), true);
            assertTrue(told.size() >= 2, "told " + told);
            assertTrue(told.stream().allMatch(id::equals), "told " + told);
        } finally {
            sup.close();
        }
    }

    void awaitRun(String id, String status) {
        await(id + " " + status, () -> messages("run").stream()
                .anyMatch(m -> m.get("run").get("id").asText().equals(id) && m.get("run").get("status").asText().equals(status)), true);
    }

    List<JsonNode> messages(String type) {
        return client.messages().stream().filter(m -> m.path("type").asText().equals(type)).toList();
    }

    JsonNode lastCounts() {
        List<JsonNode> c = messages("counts");
        return c.isEmpty() ? messages("hello").get(0) : c.get(c.size() - 1);
    }

    /** Waits up to 30 s (the feed's own poll is an hour away). */
    static void await(String what, BooleanSupplier cond, boolean want) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (cond.getAsBoolean() != want) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
