package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

class StopSignalTest {
    @Test
    void a_signal_raises_the_flag_and_ends_with_130_only_after_the_work_is_finished() throws Exception {
        StopSignal stop = new StopSignal();
        AtomicBoolean workDone = new AtomicBoolean();
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        Thread hook = new Thread(() -> stop.onSignal(Duration.ofSeconds(60), code -> halted.complete(workDone.get() ? code : -1)));
        hook.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!stop.requested() && System.nanoTime() < deadline) Thread.onSpinWait();
        assertTrue(stop.requested());
        assertFalse(halted.isDone(), "must wait for the trainer to write its status");
        workDone.set(true);
        stop.finished();
        assertEquals(130, halted.get(60, TimeUnit.SECONDS));
    }

    @Test
    void a_stuck_trainer_does_not_keep_the_process_alive_forever() throws Exception {
        StopSignal stop = new StopSignal();
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        stop.onSignal(Duration.ofMillis(10), halted::complete);
        assertEquals(130, halted.get(60, TimeUnit.SECONDS));
    }
}
