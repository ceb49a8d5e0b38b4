package trainwatch.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the config layer knows about each dataset: its classes, input shape,
 * size limits and, for file-backed ones, the IDX files it needs. Kept here
 * (not in trainwatch.data) so the server can validate configs without
 * loading any data or ND4J.
 */
public enum DatasetCatalog {
    SPIRAL("spiral", 3, new int[] {2}, null, 30_000, 30_000, 0),
    SHAPES("shapes", 10, new int[] {1, 28, 28}, null, 60_000, 10_000, 0),
    MNIST("mnist", 10, new int[] {1, 28, 28}, "mnist", 60_000, 10_000, 60_000),
    FASHION_MNIST("fashion-mnist", 10, new int[] {1, 28, 28}, "fashion-mnist", 60_000, 10_000, 60_000);

    /** The one command that brings the real files (docs/config.md, README). */
    public static final String SETUP_COMMAND = "bash scripts/setup-datasets.sh";
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";

    private final String id;
    private final int numClasses;
    private final int[] exampleShape;
    private final String subdir;
    private final int maxTrain;
    private final int maxVal;
    private final int fileExamples;

    DatasetCatalog(String id, int numClasses, int[] exampleShape, String subdir, int maxTrain, int maxVal, int fileExamples) {
        this.id = id;
        this.numClasses = numClasses;
        this.exampleShape = exampleShape;
        this.subdir = subdir;
        this.maxTrain = maxTrain;
        this.maxVal = maxVal;
        this.fileExamples = fileExamples;
    }

    public String id() {
        return id;
    }

    public int numClasses() {
        return numClasses;
    }

    public int[] exampleShape() {
        return exampleShape.clone();
    }

    public boolean isImage() {
        return exampleShape.length == 3;
    }

    public int features() {
        int n = 1;
        for (int d : exampleShape) n *= d;
        return n;
    }

    public boolean fileBacked() {
        return subdir != null;
    }

    public int maxTrain() {
        return maxTrain;
    }

    public int maxVal() {
        return maxVal;
    }

    /** Examples in the training file that train and validation are both cut from (0 for generated data). */
    public int fileExamples() {
        return fileExamples;
    }

    /** Directory holding this dataset's files under {@code dataDir}. */
    public Path dir(Path dataDir) {
        return dataDir.resolve(subdir);
    }

    /** The IDX files training reads, plain or .gz. */
    public List<String> requiredFiles() {
        return fileBacked() ? List.of(TRAIN_IMAGES, TRAIN_LABELS) : List.of();
    }

    /** The existing file for {@code name}: the plain file, else name.gz. */
    public static Optional<Path> locate(Path dir, String name) {
        Path plain = dir.resolve(name);
        if (Files.isRegularFile(plain)) return Optional.of(plain);
        Path gz = dir.resolve(name + ".gz");
        return Files.isRegularFile(gz) ? Optional.of(gz) : Optional.empty();
    }

    /** Required files that exist neither plain nor gzipped, as paths for the message. */
    public List<Path> missingFiles(Path dataDir) {
        if (!fileBacked()) return List.of();
        Path dir = dir(dataDir);
        return requiredFiles().stream().filter(f -> locate(dir, f).isEmpty()).map(dir::resolve).toList();
    }

    public static Optional<DatasetCatalog> byId(String id) {
        for (DatasetCatalog d : values()) if (d.id.equals(id)) return Optional.of(d);
        return Optional.empty();
    }

    public static List<String> ids() {
        return java.util.Arrays.stream(values()).map(DatasetCatalog::id).toList();
    }

    /**
     * Where file-backed datasets live: system property trainwatch.data, else
     * env TRAINWATCH_DATA, else ./data (relative to the working directory).
     */
    public static Path dataDir() {
        String p = System.getProperty("trainwatch.data");
        if (p == null || p.isBlank()) p = System.getenv("TRAINWATCH_DATA");
        if (p == null || p.isBlank()) p = "data";
        return Path.of(p);
    }
}
