package trainwatch.store;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import trainwatch.event.RunStatus;

/**
 * A stand-in trainer for the cross-process test: appends scalars (values a
 * function of the step) and reports each flushed seq on stdout until it is
 * killed. Mode "tear": after 3000 steps it appends the first half of a copy of
 * its last record, as if killed in the middle of a write, then waits to be killed.
 */
public final class AppendUntilKilled {
    private AppendUntilKilled() {}

    public static double loss(long step) {
        return step % 101 == 0 ? Double.POSITIVE_INFINITY : Math.exp(-step / 5000.0);
    }

    public static void main(String[] args) throws Exception {
        RunStore store = new RunStore(Path.of(args[0]), Clock.systemUTC());
        String id = args[1];
        boolean tear = args.length > 2 && args[2].equals("tear");
        RunWriter w = store.openWriter(id);
        w.status(RunStatus.RUNNING, "");
        String[] tags = {"loss", "train_acc", "lr/conv1"};
        double[] v = new double[3];
        for (long step = 0; ; step++) {
            v[0] = loss(step);
            v[1] = step % 100 / 100.0;
            v[2] = 0.01;
            long seq = w.scalars(step, tags, v);
            if (step % 50 == 49) {
                w.flush();
                System.out.println("flushed " + seq);
                System.out.flush();
            }
            if (tear && step == 2999) {
                w.flush();
                Path log = store.dir(id).resolve("events.log");
                List<Long> starts = LogFiles.frameStarts(log);
                byte[] all = Files.readAllBytes(log);
                int from = starts.get(starts.size() - 2).intValue(), to = starts.get(starts.size() - 1).intValue();
                try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
                    f.seek(f.length());
                    f.write(all, from, (to - from) / 2);
                }
                System.out.println("torn " + seq);
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
