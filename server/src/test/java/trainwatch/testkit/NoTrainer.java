package trainwatch.testkit;

import java.io.IOException;

import trainwatch.run.Launcher;

/**
 * A launcher whose trainers and checks exit at once (`true`): for tests of the HTTP layer, where a run
 * must be started and counted but never train (it then reads interrupted).
 */
public final class NoTrainer {
    public static final Launcher LAUNCHER = new Launcher() {
        @Override
        public Process startTrainer(String id) throws IOException {
            return new ProcessBuilder("true").start();
        }

        @Override
        public Process startCheck(String id, String check) throws IOException {
            return new ProcessBuilder("true").start();
        }
    };

    private NoTrainer() {}
}
