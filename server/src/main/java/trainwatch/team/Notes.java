package trainwatch.team;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;

/**
 * runs/&lt;id&gt;/notes.jsonl: one JSON object per line, appended and fsynced, never rewritten.
 * A line torn by a crash mid-append is skipped on reading and the next append starts on a
 * fresh line, so it never glues onto the torn one. The server is this file's one writer
 * (the caller serialises appends per run).
 */
final class Notes {
    static final String FILE = "notes.jsonl";

    private Notes() {}

    static List<Note> read(Path dir) {
        List<Note> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(dir.resolve(FILE), StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                JsonNode n = Json.tree(line);
                if (n == null || !n.path("text").isTextual() || !n.path("n").canConvertToLong()) continue; // torn or damaged line
                out.add(new Note(n.get("n").asLong(), n.path("author").asText(""), n.path("t").asLong(), n.get("text").asText()));
            }
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    /** Appends the note (its n = the highest n so far + 1) durably and returns it. */
    static Note append(Path dir, String author, long t, String text) {
        Path f = dir.resolve(FILE);
        long n = 1;
        for (Note old : read(dir)) n = Math.max(n, old.n() + 1);
        Note note = new Note(n, author, t, text);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            String line = Json.write(note) + "\n";
            if (ch.size() > 0 && !endsWithNewline(f)) line = "\n" + line;
            ByteBuffer buf = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            while (buf.hasRemaining()) ch.write(buf);
            ch.force(true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return note;
    }

    private static boolean endsWithNewline(Path f) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
            if (raf.length() == 0) return true;
            raf.seek(raf.length() - 1);
            return raf.read() == '\n';
        }
    }
}
