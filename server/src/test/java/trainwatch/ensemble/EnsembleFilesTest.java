package trainwatch.ensemble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ensemble's spec and status survive a round trip through runs/.ensembles/; member references parse strictly. */
class EnsembleFilesTest {
    @TempDir
    Path runs;

    @Test
    void spec_and_status_round_trip() {
        EnsembleFiles files = new EnsembleFiles(runs);
        String id = files.newId(1_764_000_000_000L);
        EnsembleSpec spec = new EnsembleSpec(id, "n", 5, new EnsembleSpec.Source("run", "r1", null, 3),
                List.of(new MemberRef("r1", "epoch-2"), new MemberRef("r1", "final")), true);
        files.create(spec, new EnsembleState(EnsembleState.QUEUED, "", 0, 7));
        assertEquals(spec, files.spec(id));
        assertEquals(new EnsembleState(EnsembleState.QUEUED, "", 0, 7), files.state(id));
        assertEquals(List.of(id), files.ids());
        assertTrue(runs.resolve(".ensembles").resolve(id).resolve("spec.json").toFile().isFile());
    }

    @Test
    void a_running_status_of_a_dead_process_reads_failed() {
        EnsembleState s = new EnsembleState(EnsembleState.RUNNING, "", Long.MAX_VALUE - 1, 0);
        assertEquals(EnsembleState.FAILED, s.resolved().status());
        EnsembleState alive = new EnsembleState(EnsembleState.RUNNING, "", ProcessHandle.current().pid(), 0);
        assertEquals(EnsembleState.RUNNING, alive.resolved().status());
    }

    @Test
    void member_references_parse_and_name_their_problem() {
        assertEquals(new MemberRef("abc", "final"), MemberRef.parse("abc"));
        assertEquals("epoch-0012", MemberRef.parse("abc:12").checkpoint());
        assertEquals("epoch-0003", MemberRef.parse("abc:epoch-0003").checkpoint());
        assertEquals("best", MemberRef.parse("abc:best").checkpoint());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MemberRef.parse("abc:latest")).getMessage().contains("final, best"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MemberRef.parse("ABC")).getMessage().contains("run id"));
    }
}
