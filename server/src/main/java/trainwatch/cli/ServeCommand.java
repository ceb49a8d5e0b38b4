package trainwatch.cli;

/** `serve` command (being written). */
public final class ServeCommand {
    private ServeCommand() {}

    /** Returns the process exit code, or -1 to keep the process running. */
    public static int run(String[] args) {
        System.err.println("serve: being written");
        return 2;
    }
}
