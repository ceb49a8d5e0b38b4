package trainwatch.checkpoint;

import java.util.regex.Pattern;

/**
 * The names a run's checkpoints/ directory holds (docs/run-format.md): {@code epoch-NNNN.zip},
 * {@code final.zip}, each with its {@code NAME.zip.json}, and {@code average.zip} + {@code average.json}.
 * Nothing else crosses the wire: no separators, no dots of a path, no hidden or temporary files.
 */
public final class CheckpointName {
    private static final Pattern NAME = Pattern.compile("(epoch-[0-9]{4,9}|final)\\.zip(\\.json)?|average\\.(zip|json)");
    private static final Pattern EPOCH = Pattern.compile("epoch-([0-9]{4,9})\\.zip");
    public static final String FINAL = "final.zip";
    public static final String AVERAGE = "average.zip";
    public static final String AVERAGE_META = "average.json";

    private CheckpointName() {}

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** A file that describes another (the zip's meta, the average's meta): stored before what it describes. */
    public static boolean isMeta(String name) {
        return name.endsWith(".json");
    }

    /** The meta a resumable zip needs beside it ({@code NAME.zip.json}); null for average.zip (it has average.json). */
    public static String metaOf(String zip) {
        return zip.equals(AVERAGE) ? null : zip + ".json";
    }

    /** The epoch number of {@code epoch-NNNN.zip}, -1 for any other name. */
    public static int epochOf(String name) {
        var m = EPOCH.matcher(name);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    public static String epochName(int epoch) {
        return String.format("epoch-%04d.zip", epoch);
    }
}
