package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ProgressPrinterTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void a_terminal_gets_one_line_redrawn_with_bar_loss_accuracy_and_eta() {
        ProgressPrinter p = new ProgressPrinter(out, true, 2, now::get);
        p.onIteration(0, 100, 0, 2.3026, 0.1, 500);
        now.addAndGet(50_000_000L); // too soon to redraw
        p.onIteration(1, 100, 0, 2.2, 0.12, 500);
        assertEquals(1, text().chars().filter(c -> c == '\r').count());
        now.addAndGet(50_000_000L * 49); // 50 steps took 2.5 s
        p.onIteration(49, 100, 0, 1.23456, 0.5, 500);
        String last = text().substring(text().lastIndexOf('\r') + 1);
        // 49 steps in 2.5 s -> 50 remaining take about 2.55 s
        assertEquals("[############............] 50/100 epoch 1/2 loss 1.2346 acc 0.500 ETA 0:03", last.strip());
        assertTrue(!text().contains("\n"), "no newline while running");
        p.finish();
        assertTrue(text().endsWith("\n"));
    }

    @Test
    void plain_output_prints_a_line_every_few_seconds_and_the_end() {
        ProgressPrinter p = new ProgressPrinter(out, false, 3, now::get);
        for (int step = 0; step < 1000; step++) {
            p.onIteration(step, 1000, step / 400, 1.0 / (step + 1), 0.9, 1234.4);
            now.addAndGet(10_000_000L); // 10 ms per step: 10 s in all
        }
        p.finish();
        String[] lines = text().split("\n");
        assertEquals("step 1/1000 epoch 1/3 loss 1.0000 acc 0.900 1234 ex/s", lines[0]);
        assertTrue(lines.length >= 3 && lines.length <= 5, text());
        assertTrue(lines[lines.length - 1].startsWith("step 1000/1000 epoch 3/3 loss 0.0010"), lines[lines.length - 1]);
        assertTrue(!lines[lines.length - 2].startsWith("step 1000/1000"), "the last line is printed once: " + text());
        assertTrue(!text().contains("\r"));
    }

    @Test
    void a_stop_between_prints_still_shows_where_training_ended() {
        ProgressPrinter p = new ProgressPrinter(out, false, 1, now::get);
        p.onIteration(0, 100, 0, 2.0, 0.1, 10);
        now.addAndGet(1_000_000_000L);
        p.onIteration(41, 100, 0, 1.5, 0.4, 10);
        p.finish();
        String[] lines = text().split("\n");
        assertEquals(2, lines.length, text());
        assertTrue(lines[1].startsWith("step 42/100 epoch 1/1 loss 1.5000 acc 0.400"), lines[1]);
    }

    @Test
    void non_finite_values_show_as_such() {
        ProgressPrinter p = new ProgressPrinter(out, false, 1, now::get);
        p.onIteration(0, 10, 0, Double.NaN, Double.POSITIVE_INFINITY, Double.NaN);
        assertEquals("step 1/10 epoch 1/1 loss NaN acc Inf", text().strip());
    }

    @Test
    void durations_read_as_clock_times() {
        assertEquals("0:07", ProgressPrinter.duration(7));
        assertEquals("2:05", ProgressPrinter.duration(125));
        assertEquals("3:00:01", ProgressPrinter.duration(10801));
    }
}
