package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.ensemble.EnsembleFiles;
import trainwatch.ensemble.EnsembleState;

/** Issue 12: `ensemble ...` on the command line: exit 0 with a table, 2 for bad input naming the member, 1 when a member run fails. */
class EnsembleCommandTest {
    @TempDir
    Path runs;
    final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    int ensemble(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--runs";
        all[1] = runs.toString();
        System.arraycopy(args, 0, all, 2, args.length);
        EnsembleCommand.Trainer inProcess = (id, dir) -> TrainCommand.run(new String[] {"--run", id, "--runs", dir.toString()});
        return new EnsembleCommand(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                runs.resolve("no-data"), inProcess).execute(all);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void seeds_then_members_then_a_run_s_checkpoints_and_the_refusals() throws Exception {
        Path config = runs.resolve("spiral.json");
        Files.writeString(config, "{\"dataset\": \"spiral\", \"model\": {\"type\": \"mlp\", \"hidden\": [16]}, \"epochs\": 30, \"seed\": 5}");
        assertEquals(0, ensemble("--seeds", "2", config.toString()), err());
        assertTrue(out().contains("seed 5: run ") && out().contains("seed 6: run "), out());
        assertTrue(out().contains("ensemble (mean of softmax)") && out().contains("members added by val_acc: 1:"), out());
        EnsembleFiles files = new EnsembleFiles(runs);
        assertEquals(1, files.ids().size());
        String id = files.ids().get(0);
        assertEquals(EnsembleState.FINISHED, files.state(id).status());
        String runA = files.spec(id).members().get(0).run(), runB = files.spec(id).members().get(1).run();

        out.reset();
        assertEquals(0, ensemble(runA + ":final", runB, "--name", "pair"), err());
        assertTrue(out().contains(runA + ":final"), out());

        out.reset();
        assertEquals(0, ensemble("--run", runA, "--last", "2"), err());
        assertTrue(out().contains("averaged parameters"), "a run's checkpoints are parameter-averaged: " + out());

        Path other = Files.createDirectories(runs.resolve("shapes-run"));
        Files.writeString(other.resolve("config.json"), "{\"dataset\": \"shapes\"}");
        err.reset();
        assertEquals(2, ensemble(runA, "shapes-run"));
        assertTrue(err().contains("members[1]") && err().contains("shapes-run"), err());

        err.reset();
        assertEquals(2, ensemble(runA + ":nope"));
        assertTrue(err().contains("members[0]"), err());
        assertEquals(2, ensemble());
        assertEquals(2, ensemble("--last", "x"));
        assertEquals(2, ensemble("--frobnicate"));
        assertEquals(2, ensemble("--seeds", "2"));
        assertEquals(2, ensemble("--seeds", "2", runs.resolve("missing.json").toString()));
        assertEquals(2, ensemble("--eval", "no-such-ensemble"));

        Path bad = runs.resolve("diverge.json");
        Files.writeString(bad, "{\"dataset\": \"spiral\", \"epochs\": 30, \"optimizer\": {\"type\": \"sgd\", \"lr\": 1e30}}");
        err.reset();
        assertEquals(1, ensemble("--seeds", "2", bad.toString()), "a member run that does not finish fails the ensemble: " + err());
        assertTrue(err().contains("member run"), err());
    }
}
