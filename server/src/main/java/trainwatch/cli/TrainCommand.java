package trainwatch.cli;

/** `train` command (being written). */
public final class TrainCommand {
    private TrainCommand() {}

    /** Returns the process exit code, or -1 to keep the process running. */
    public static int run(String[] args) {
        System.err.println("train: being written");
        return 2;
    }
}
