package trainwatch.live;

/** One encoded message, shared by every client it goes to. {@code seq} = the last record seq it carries, -1 for none. */
public record Frame(String text, long seq) {
    public int bytes() {
        return text.length(); // JSON with ASCII escapes: chars ~ bytes, good enough for a bound
    }
}
