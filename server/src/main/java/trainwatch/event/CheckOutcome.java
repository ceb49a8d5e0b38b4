package trainwatch.event;

import java.util.Locale;

/**
 * How a check came out, best first. Stored and sent as the lower-case word
 * ("pass", "warn", "fail"); the declaration order is the ranking, so "the worse
 * of two" is a comparison, not a table kept by hand.
 */
public enum CheckOutcome {
    PASS, WARN, FAIL;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The outcome a stored word names; an unknown word reads as FAIL (a result nobody can interpret has not passed). */
    public static CheckOutcome fromWire(String s) {
        if (s != null) for (CheckOutcome o : values()) if (o.wire().equals(s)) return o;
        return FAIL;
    }

    public CheckOutcome worse(CheckOutcome other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
