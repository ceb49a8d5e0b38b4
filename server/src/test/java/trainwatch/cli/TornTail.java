package trainwatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** What a kill in the middle of an append leaves: the start of a record frame with its body cut off. */
final class TornTail {
    private TornTail() {}

    static void append(Path runDir) throws IOException {
        // events.log: the framed log of docs/run-format.md; APPEND without CREATE fails if the name changes
        Files.write(runDir.resolve("events.log"), new byte[] {0x20, 0, 0, 0, 0x7f, 0x11, 0x22}, StandardOpenOption.APPEND);
    }
}
