package trainwatch.testkit;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import trainwatch.run.Launcher;

/**
 * A launcher that remembers every process it started, so a test kills exactly its own
 * (and their children) at the end: never a pid read from a run's status file, which may
 * by then name some other process.
 */
public final class StartedProcesses implements Launcher {
    private final Launcher inner;
    private final List<ProcessHandle> started = new CopyOnWriteArrayList<>();

    public StartedProcesses(Launcher inner) {
        this.inner = inner;
    }

    /** Only remembers what {@link #add} is given (no launcher behind it). */
    public StartedProcesses() {
        this(null);
    }

    @Override
    public Process startTrainer(String id) throws IOException {
        return remember(inner.startTrainer(id));
    }

    @Override
    public Process startCheck(String id, String check) throws IOException {
        return remember(inner.startCheck(id, check));
    }

    private Process remember(Process p) {
        started.add(p.toHandle());
        return p;
    }

    /** Adds a process started some other way (e.g. a server the test ran as a child). */
    public void add(ProcessHandle p) {
        started.add(p);
    }

    /** SIGKILLs every remembered process still alive, children first, and waits briefly for each to go. */
    public void killAll() {
        for (ProcessHandle p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        for (ProcessHandle p : started) {
            try {
                p.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // gone or going; nothing more a test can do
            }
        }
        started.clear();
    }
}
