package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import trainwatch.event.RunStatus;
import trainwatch.store.RunStore;
import trainwatch.store.StatusRecord;
import trainwatch.store.StopRequest;
import trainwatch.train.TrainOutcome;

/** A stop that asks for `pruned` (a sweep's early stopping): the trainer, which only knows "stop", records pruned with the reason. */
class PrunedStopTest {
    @TempDir
    Path tmp;

    @Test
    void a_trainer_stopped_with_a_prune_request_records_pruned_and_its_reason() {
        RunStore store = new RunStore(tmp.resolve("runs"), Clock.systemUTC());
        String id = store.newId();
        store.create(id, "{\"dataset\": \"spiral\", \"epochs\": 3}", RunStatus.QUEUED, "");
        StopSignal stop = new StopSignal();
        String reason = "pruned at rung 0 (epoch 1): val_acc 0.5 < 0.9, the top 1/2 threshold (1 of 2 trials at this rung go on)";
        Training untilStopped = (cfg, data, w, p, stopRequested) -> {
            w.status(RunStatus.RUNNING, "");
            w.scalars(0, new String[] {"loss"}, new double[] {1});
            store.requestStop(id, new StopRequest(RunStatus.PRUNED, reason)); // what Supervisor.stop(id, as) does before SIGTERM
            stop.request();
            if (stopRequested.getAsBoolean()) w.status(RunStatus.STOPPED, "stop requested after 1 steps");
            return new TrainOutcome(RunStatus.STOPPED, "stop requested after 1 steps", 1);
        };
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = new TrainCommand(untilStopped, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()),
                tmp.resolve("data"), false, stop).execute(new String[] {"--run", id, "--runs", store.root().toString()});
        StatusRecord s = store.state(id);
        assertEquals(RunStatus.PRUNED, s.status());
        assertEquals(reason, s.reason());
        assertEquals(StopSignal.EXIT_STOPPED, code);
    }

    @Test
    void without_a_request_a_stop_stays_stopped() {
        RunStore store = new RunStore(tmp.resolve("runs"), Clock.systemUTC());
        String id = store.newId();
        store.create(id, "{\"dataset\": \"spiral\", \"epochs\": 3}", RunStatus.QUEUED, "");
        StopSignal stop = new StopSignal();
        stop.request();
        Training t = (cfg, data, w, p, stopRequested) -> {
            w.status(RunStatus.RUNNING, "");
            w.status(RunStatus.STOPPED, "stop requested after 0 steps");
            return new TrainOutcome(RunStatus.STOPPED, "stop requested after 0 steps", 0);
        };
        new TrainCommand(t, new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), tmp.resolve("data"), false, stop)
                .execute(new String[] {"--run", id, "--runs", store.root().toString()});
        assertEquals(RunStatus.STOPPED, store.state(id).status());
    }
}
