package trainwatch.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** events.jsonl: appended, fsynced, replayed in order; a torn last line is ignored and cut off by the next append. */
class SweepStoreTest {
    @TempDir
    Path runs;

    private SweepStore store() {
        return new SweepStore(runs, Clock.systemUTC());
    }

    private String created(SweepStore s) {
        String id = s.newId();
        assertTrue(SweepStore.validId(id), id);
        s.create(id, "{\"name\": \"x\"}", List.of(SweepEvent.state("running", "", 1000)));
        return id;
    }

    @Test
    void a_sweep_is_created_with_its_spec_and_first_event_and_listed() {
        SweepStore s = store();
        String id = created(s);
        assertTrue(s.exists(id));
        assertEquals("{\"name\": \"x\"}", s.spec(id));
        assertEquals(List.of(id), s.ids());
        assertEquals("running", s.events(id).get(0).state());
        assertEquals(1000L, s.events(id).get(0).t());
    }

    @Test
    void events_replay_in_order_with_their_fields() {
        SweepStore s = store();
        String id = created(s);
        s.append(id, SweepEvent.trial(0, "20261203-140501-aaaa", Map.of("optimizer.lr", 0.01, "model.hidden", List.of(50)), 5));
        s.append(id, SweepEvent.report("20261203-140501-aaaa", 1, 0.5));
        s.append(id, SweepEvent.end("20261203-140501-aaaa", "finished", 0.9, 3, ""));
        List<SweepEvent> e = s.events(id);
        assertEquals(List.of("state", "trial", "report", "end"), e.stream().map(SweepEvent::type).toList());
        assertEquals(0.01, e.get(1).values().get("optimizer.lr"));
        assertEquals(List.of(50), e.get(1).values().get("model.hidden"));
        assertEquals(1, e.get(2).epoch());
        assertEquals(0.9, e.get(3).value());
        assertEquals(3, e.get(3).epochs());
    }

    @Test
    void a_torn_last_line_is_ignored_on_replay_and_cut_off_by_the_next_append() throws Exception {
        SweepStore s = store();
        String id = created(s);
        s.append(id, SweepEvent.trial(0, "20261203-140501-aaaa", Map.of("l2", 0.1), 5));
        Path events = runs.resolve(SweepStore.DIR).resolve(id).resolve(SweepStore.EVENTS);
        // a crash in the middle of writing the next line
        Files.write(events, "{\"type\":\"end\",\"run\":\"20261203-1405".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        assertEquals(List.of("state", "trial"), s.events(id).stream().map(SweepEvent::type).toList());

        s.append(id, SweepEvent.end("20261203-140501-aaaa", "failed", null, 0, "boom"));
        List<SweepEvent> after = s.events(id);
        assertEquals(List.of("state", "trial", "end"), after.stream().map(SweepEvent::type).toList());
        assertEquals("boom", after.get(2).reason());
        assertFalse(Files.readString(events).contains("1405\n"), "the torn bytes are gone, not glued to a good line");
        assertTrue(Files.readString(events).endsWith("\n"));
    }

    @Test
    void a_garbled_line_in_the_middle_is_skipped_not_fatal() throws Exception {
        SweepStore s = store();
        String id = created(s);
        Path events = runs.resolve(SweepStore.DIR).resolve(id).resolve(SweepStore.EVENTS);
        Files.write(events, "not json\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        s.append(id, SweepEvent.state("stopped", "asked", 9));
        assertEquals(List.of("state", "state"), s.events(id).stream().map(SweepEvent::type).toList());
    }

    @Test
    void delete_removes_the_sweep_whole() {
        SweepStore s = store();
        String id = created(s);
        s.delete(id);
        assertFalse(s.exists(id));
        assertEquals(List.of(), s.ids());
    }
}
