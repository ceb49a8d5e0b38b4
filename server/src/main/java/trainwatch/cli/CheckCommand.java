package trainwatch.cli;

/** `check` command (being written). */
public final class CheckCommand {
    private CheckCommand() {}

    /** Returns the process exit code, or -1 to keep the process running. */
    public static int run(String[] args) {
        System.err.println("check: being written");
        return 2;
    }
}
