package trainwatch.event;

import java.util.regex.Pattern;

/** Metric tag names of DESIGN.md: loss, reg_loss, train_acc, val_loss, val_acc, lr/<layer>, update_ratio/<layer>, examples_per_sec. */
public final class Tags {
    public static final String LOSS = "loss";
    public static final String REG_LOSS = "reg_loss";
    public static final String TRAIN_ACC = "train_acc";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACC = "val_acc";
    public static final String EXAMPLES_PER_SEC = "examples_per_sec";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_.\\-]+(/[A-Za-z0-9_.\\-]+)*");

    private Tags() {}

    public static String lr(String layer) {
        return "lr/" + layer;
    }

    public static String updateRatio(String layer) {
        return "update_ratio/" + layer;
    }

    static void check(String tag) {
        if (tag == null || tag.length() > 200 || !VALID.matcher(tag).matches())
            throw new IllegalArgumentException("invalid tag name: " + tag);
    }
}
