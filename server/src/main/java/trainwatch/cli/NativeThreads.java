package trainwatch.cli;

import java.io.PrintStream;
import java.util.Map;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A command run by hand without OMP_NUM_THREADS gets ND4J's default of one native
 * thread per core in every OpenMP and BLAS pool; next to other busy processes on a
 * small box these spin against each other (a run measured ~6x slower on 2 loaded
 * cores). The server already sets OMP_NUM_THREADS=1 for its children; this caps a
 * hand-run command the same way from inside, once ND4J is loaded.
 */
final class NativeThreads {
    static final String VAR = "OMP_NUM_THREADS";

    private NativeThreads() {}

    /** Caps ND4J at one native thread unless the variable is set (then the user's choice stands); true if it capped. */
    static boolean capUnlessSet(Map<String, String> env, PrintStream err) {
        String set = env.get(VAR);
        if (set != null && !set.isBlank()) return false;
        try {
            Nd4j.getEnvironment().setMaxMasterThreads(1); // loads the backend first: NativeOpsHolder needs it
            Nd4j.getEnvironment().setMaxThreads(1);
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
            Nd4j.factory().blas().setMaxThreads(1);
        } catch (RuntimeException | LinkageError e) {
            err.println("note: " + VAR + " is unset and the native thread count could not be capped (" + e + "): set " + VAR + "=1");
            err.flush();
            return false;
        }
        err.println("note: " + VAR + " is unset: using 1 native thread (set " + VAR + " to choose another count)");
        err.flush();
        return true;
    }
}
