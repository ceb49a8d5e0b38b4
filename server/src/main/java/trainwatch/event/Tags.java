package trainwatch.event;

/** Metric tag names (docs/training.md): loss, reg_loss, train_acc, val_loss, val_acc, lr/<layer>, update_ratio/<layer>, examples_per_sec. */
public final class Tags {
    public static final String LOSS = "loss";
    public static final String REG_LOSS = "reg_loss";
    public static final String TRAIN_ACC = "train_acc";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACC = "val_acc";
    /** The Polyak average of the parameters (config key averaging) evaluated like val_loss / val_acc. */
    public static final String VAL_LOSS_AVG = "val_loss_avg";
    public static final String VAL_ACC_AVG = "val_acc_avg";
    public static final String EXAMPLES_PER_SEC = "examples_per_sec";

    private Tags() {}

    public static String lr(String layer) {
        return "lr/" + layer;
    }

    public static String updateRatio(String layer) {
        return "update_ratio/" + layer;
    }

    /** Segments of [A-Za-z0-9_.-] joined by '/'. A hand loop, not a regex: it runs for every tag of every record read. */
    static void check(String tag) {
        if (tag == null || tag.isEmpty() || tag.length() > 200) throw new IllegalArgumentException("invalid tag name: " + tag);
        char prev = '/';
        for (int i = 0; i < tag.length(); i++) {
            char c = tag.charAt(i);
            boolean word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
            if (!word && !(c == '/' && prev != '/')) throw new IllegalArgumentException("invalid tag name: " + tag);
            prev = c;
        }
        if (prev == '/') throw new IllegalArgumentException("invalid tag name: " + tag);
    }
}
