package trainwatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

class NativeThreadsTest {
    /** Two threads in the pools the cap lowers (the test JVM starts with OMP_NUM_THREADS=1 from surefire), so a missing cap shows. */
    private static void widen() {
        Nd4j.getEnvironment().setMaxThreads(2); // loads the backend, which NativeOpsHolder needs
        Nd4j.getEnvironment().setMaxMasterThreads(2);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(2);
        Nd4j.factory().blas().setMaxThreads(2);
    }

    @Test
    void without_omp_num_threads_every_native_pool_is_capped_at_one_thread_with_a_one_line_note() {
        widen();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertTrue(NativeThreads.capUnlessSet(Map.of(), new PrintStream(err, true, StandardCharsets.UTF_8)));

        assertEquals(1, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(), "OpenMP");
        assertEquals(1, Nd4j.factory().blas().getMaxThreads(), "BLAS");
        String note = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, note.lines().count(), note);
        assertTrue(note.contains("OMP_NUM_THREADS is unset"), note);
    }

    @Test
    void a_set_omp_num_threads_is_left_alone_and_nothing_is_printed() {
        widen();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        assertFalse(NativeThreads.capUnlessSet(Map.of("OMP_NUM_THREADS", "2"), new PrintStream(err, true, StandardCharsets.UTF_8)));

        assertEquals(2, NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads(), "OpenMP");
        assertEquals(2, Nd4j.factory().blas().getMaxThreads(), "BLAS");
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        NativeThreads.capUnlessSet(Map.of(), new PrintStream(new ByteArrayOutputStream())); // back to the test JVM's one thread
    }
}
