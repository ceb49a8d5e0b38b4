package trainwatch.search;

/** An early-stopping verdict on one metric report: keep training, or stop with a reason. */
public record Decision(boolean stop, String reason) {
    public static final Decision CONTINUE = new Decision(false, "");

    public static Decision prune(String reason) {
        return new Decision(true, reason);
    }
}
