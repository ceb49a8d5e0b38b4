package trainwatch.team;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

/** One note on a run: {@code n} its number in the run (1, 2, ...), who wrote it, when (epoch ms) and its plain text. */
public record Note(long n, String author, long t, String text) {
    /** The live message on /api/runs/{id}/live: {"type": "note", "n", "author", "t", "text"} (no seq: notes are not log records). */
    public record Message(String type, @JsonUnwrapped Note note) {
        public Message(Note note) {
            this("note", note);
        }
    }
}
