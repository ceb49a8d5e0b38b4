package trainwatch.data;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import trainwatch.config.DatasetCatalog;

/**
 * mnist / fashion-mnist from their training IDX files: the first trainSize
 * examples train, the last valSize validate (disjoint while trainSize +
 * valSize <= the file's count, which the config parser enforces).
 */
final class IdxDataset {
    private IdxDataset() {}

    static Dataset load(DatasetCatalog ds, Path dataDir, int trainSize, int valSize) {
        Path dir = ds.dir(dataDir);
        List<Path> missing = ds.missingFiles(dataDir);
        if (!missing.isEmpty())
            throw new DatasetException(ds.id() + " is not set up (missing "
                    + missing.stream().map(p -> p + "[.gz]").collect(Collectors.joining(", "))
                    + "): run `" + DatasetCatalog.SETUP_COMMAND + "`");
        Path images = DatasetCatalog.locate(dir, DatasetCatalog.TRAIN_IMAGES).orElseThrow();
        Path labels = DatasetCatalog.locate(dir, DatasetCatalog.TRAIN_LABELS).orElseThrow();
        int n = Idx.count(images);
        int nl = Idx.count(labels);
        if (n != nl) throw new DatasetException(images + " has " + n + " images but " + labels + " has " + nl + " labels");
        if ((long) trainSize + valSize > n)
            throw new DatasetException(ds.id() + " has " + n + " training examples, fewer than trainSize + valSize = " + (trainSize + valSize));
        int side = ds.exampleShape()[1];
        int classes = ds.numClasses();
        return new Dataset(ds.id(), classes, ds.exampleShape(),
                Idx.readImages(images, 0, trainSize, side, side), Idx.readLabels(labels, 0, trainSize, classes),
                Idx.readImages(images, n - valSize, valSize, side, side), Idx.readLabels(labels, n - valSize, valSize, classes));
    }
}
