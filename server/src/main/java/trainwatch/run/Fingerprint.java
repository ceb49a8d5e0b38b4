package trainwatch.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/**
 * What a run's list entry was computed from, told by a few stats and no reads: status.json
 * (the trainer replaces it on every status change), the length of events.log (appended to
 * by the trainer), the archive marker and the run's team tags (tags.json; 0 when none, so older
 * index files without it still match). A run whose fingerprint still matches keeps its
 * entry: that is how a restarted server trusts its index without opening 10,000 logs,
 * and how it notices runs changed by a trainer while it was down.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record Fingerprint(long statusMs, long statusBytes, long logBytes, boolean archived, long tagsMs) {
    static final String ARCHIVED = "archived.json";

    /** null when the run directory (or its status.json) is gone. */
    static Fingerprint of(Path dir) {
        try {
            BasicFileAttributes st = Files.readAttributes(dir.resolve("status.json"), BasicFileAttributes.class);
            long log;
            try {
                log = Files.size(dir.resolve("events.log"));
            } catch (NoSuchFileException e) {
                log = -1;
            }
            return new Fingerprint(st.lastModifiedTime().toMillis(), st.size(), log, Files.exists(dir.resolve(ARCHIVED)), RunLabels.modifiedMs(dir));
        } catch (IOException e) {
            return null;
        }
    }
}
