package trainwatch.client;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The little JSON this client speaks, by hand so the jar has no dependencies that could clash with
 * the user's: encoding of records and configs (NaN and infinities as the strings the server reads),
 * and reading the few fields of the server's small replies.
 */
final class JsonText {
    private JsonText() {}

    static String string(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /** A number as JSON; NaN and infinities as "NaN", "Infinity", "-Infinity" (JSON has no such numbers). */
    static String number(double v) {
        if (Double.isNaN(v)) return "\"NaN\"";
        if (Double.isInfinite(v)) return v > 0 ? "\"Infinity\"" : "\"-Infinity\"";
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v) + ".0";
        return Double.toString(v);
    }

    /** Maps, collections, arrays of numbers, strings, numbers, booleans and null. */
    static String value(Object o) {
        StringBuilder sb = new StringBuilder();
        write(sb, o);
        return sb.toString();
    }

    private static void write(StringBuilder sb, Object o) {
        if (o == null) sb.append("null");
        else if (o instanceof String s) sb.append(string(s));
        else if (o instanceof Boolean b) sb.append(b);
        else if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte) sb.append(o);
        else if (o instanceof Number n) sb.append(number(n.doubleValue()));
        else if (o instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(',');
                first = false;
                sb.append(string(String.valueOf(e.getKey()))).append(':');
                write(sb, e.getValue());
            }
            sb.append('}');
        } else if (o instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object x : c) {
                if (!first) sb.append(',');
                first = false;
                write(sb, x);
            }
            sb.append(']');
        } else if (o instanceof double[] d) {
            sb.append('[');
            for (int i = 0; i < d.length; i++) sb.append(i == 0 ? "" : ",").append(number(d[i]));
            sb.append(']');
        } else if (o instanceof int[] d) {
            sb.append('[');
            for (int i = 0; i < d.length; i++) sb.append(i == 0 ? "" : ",").append(d[i]);
            sb.append(']');
        } else sb.append(string(String.valueOf(o)));
    }

    /** The integer value of a top-level "field" in a small reply, or null. */
    static Long longField(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(-?\\d+)").matcher(json);
        return m.find() ? Long.parseLong(m.group(1)) : null;
    }

    static String stringField(String json, String field) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        return m.find() ? m.group(1).replace("\\\"", "\"").replace("\\\\", "\\") : null;
    }

    static boolean trueField(String json, String field) {
        return Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*true").matcher(json).find();
    }
}
