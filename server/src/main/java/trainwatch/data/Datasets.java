package trainwatch.data;

import java.nio.file.Path;

import trainwatch.config.DatasetCatalog;
import trainwatch.config.RunConfig;

/** RunConfig -> its {@link Dataset}: generated (spiral, shapes) or read from IDX files (mnist, fashion-mnist). No ND4J. */
public final class Datasets {
    private Datasets() {}

    /** Loads with the data directory of {@link DatasetCatalog#dataDir()}. */
    public static Dataset load(RunConfig config) {
        return load(config, DatasetCatalog.dataDir());
    }

    /** @throws DatasetException when a file is missing or malformed (the message names the file and, when missing, the setup command) */
    public static Dataset load(RunConfig config, Path dataDir) {
        DatasetCatalog ds = DatasetCatalog.byId(config.dataset())
                .orElseThrow(() -> new DatasetException("unknown dataset " + config.dataset()));
        return switch (ds) {
            case SPIRAL -> Spiral.generate(config.trainSize(), config.valSize(), config.seed());
            case SHAPES -> Shapes.generate(config.trainSize(), config.valSize(), config.seed());
            case MNIST, FASHION_MNIST -> IdxDataset.load(ds, dataDir, config.trainSize(), config.valSize());
        };
    }
}
