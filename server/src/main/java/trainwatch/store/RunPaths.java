package trainwatch.store;

import java.nio.file.Path;

/** Where each part of a run lives inside runs/<id>/ (docs/run-format.md). */
record RunPaths(Path dir) {
    Path config() {
        return dir.resolve("config.json");
    }

    Path status() {
        return dir.resolve("status.json");
    }

    Path lock() {
        return dir.resolve("trainer.lock");
    }

    Path log() {
        return dir.resolve("events.log");
    }

    Path indexDir() {
        return dir.resolve("index");
    }

    Path blockIndex() {
        return indexDir().resolve("blocks.bin");
    }

    Path rare() {
        return indexDir().resolve("rare.bin");
    }

    Path tags() {
        return indexDir().resolve("tags.tsv");
    }

    Path summary(int tagId, boolean group) {
        return indexDir().resolve("tag-" + tagId + (group ? ".4096" : ".64"));
    }

    Path filters() {
        return dir.resolve("filters");
    }

    Path checks() {
        return dir.resolve("checks");
    }

    Path checkpoints() {
        return dir.resolve("checkpoints");
    }
}
