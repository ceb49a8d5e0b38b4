package trainwatch.http;

/** Caller-supplied text quoted in an error message, cut short so a huge value cannot bloat the answer. */
final class Clip {
    private Clip() {}

    static String of(String v) {
        if (v == null) return "null";
        return v.length() > 40 ? v.substring(0, 40) + "..." : v;
    }
}
