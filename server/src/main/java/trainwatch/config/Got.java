package trainwatch.config;

import com.fasterxml.jackson.databind.JsonNode;

/** How a rejected value is shown in a message: JSON text, strings quoted, long values cut. */
final class Got {
    private static final int MAX = 40;

    private Got() {}

    static String of(JsonNode v) {
        if (v.isTextual()) return quote(v.textValue());
        String s = v.toString();
        return s.length() > MAX ? s.substring(0, MAX) + "..." : s;
    }

    static String quote(String s) {
        String cut = s.length() > MAX ? s.substring(0, MAX) + "..." : s;
        StringBuilder b = new StringBuilder("\"");
        for (char c : cut.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String range(long min, long max) {
        return "must be between " + min + " and " + max;
    }
}
