package trainwatch.ensemble;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import trainwatch.store.RunStore;

/**
 * One ensemble member: a run and which of its checkpoints ({@code final}, {@code best} = the epoch
 * checkpoint with the highest val_acc, {@code average} = the Polyak average of config key averaging,
 * or {@code epoch-N}). Written {@code RUN[:CHECKPOINT]} on the command line and in REST bodies.
 */
public record MemberRef(String run, String checkpoint) {
    public static final String FINAL = "final";
    public static final String BEST = "best";
    public static final String AVERAGE = "average";
    private static final Pattern EPOCH = Pattern.compile("(?:epoch-)?0*(\\d{1,6})");

    public MemberRef {
        if (!RunStore.validId(run)) throw new IllegalArgumentException("run id must match [a-z0-9-]{1,64} (got " + run + ")");
        checkpoint = normalize(checkpoint);
    }

    /** {@code RUN[:CHECKPOINT]}; throws IllegalArgumentException with a message fit for the caller. */
    public static MemberRef parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("must be RUN[:CHECKPOINT] (got an empty string)");
        int colon = text.indexOf(':');
        return colon < 0 ? new MemberRef(text, FINAL) : new MemberRef(text.substring(0, colon), text.substring(colon + 1));
    }

    /** final | best | average | epoch-NNNN; anything else is refused with the choices named. */
    static String normalize(String c) {
        if (c == null || c.isEmpty()) return FINAL;
        if (c.equals(FINAL) || c.equals(BEST) || c.equals(AVERAGE)) return c;
        Matcher m = EPOCH.matcher(c);
        if (m.matches() && Integer.parseInt(m.group(1)) > 0) return String.format("epoch-%04d", Integer.parseInt(m.group(1)));
        throw new IllegalArgumentException("checkpoint must be final, best, average or epoch-N (got " + clip(c) + ")");
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Override
    public String toString() {
        return run + ":" + checkpoint;
    }
}
