package trainwatch.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/** A checkpoint a run can resume from: the zip and where training stood ({@link #step()} = the next step to run). */
public record ResumePoint(Path checkpoint, CheckpointMeta meta) {
    public long step() {
        return meta.step();
    }

    public String name() {
        return checkpoint.getFileName().toString();
    }

    /** One named checkpoint (a zip with its NAME.zip.json beside it), e.g. the one a resumed remote trainer downloaded. */
    public static ResumePoint of(Path zip) throws IOException {
        return new ResumePoint(zip, CheckpointMeta.read(Checkpoints.metaFile(zip)));
    }

    /** The checkpoint furthest into training under a run's checkpoint directory, if any has its meta. */
    public static Optional<ResumePoint> newest(Path checkpointDir) throws IOException {
        return Checkpoints.newest(checkpointDir).map(s -> new ResumePoint(s.zip(), s.meta()));
    }
}
