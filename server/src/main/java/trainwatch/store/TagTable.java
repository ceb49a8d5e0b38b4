package trainwatch.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tag id <-> name. Kept in the log (TAG_DEF records) and mirrored in
 * index/tags.tsv ("id TAB offset-of-definition TAB name" lines) so readers
 * need not scan the log for names. The writer replaces the file (atomically,
 * durably, lines in id order, so each version extends the previous one)
 * before the definition reaches the log, so readers always know a name before
 * they see it used.
 */
final class TagTable {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> names = new ArrayList<>();
    private final List<Long> offsets = new ArrayList<>();

    Integer id(String name) {
        return ids.get(name);
    }

    String name(int id) {
        return id >= 0 && id < names.size() ? names.get(id) : null;
    }

    int size() {
        return names.size();
    }

    List<String> names() {
        List<String> out = new ArrayList<>();
        for (String n : names) if (n != null) out.add(n);
        return out;
    }

    /** Registers id -> name; false when the id already has a different name. */
    boolean put(int id, String name, long offset) {
        while (names.size() <= id) {
            names.add(null);
            offsets.add(Long.MAX_VALUE);
        }
        String old = names.get(id);
        if (old != null) return old.equals(name);
        names.set(id, name);
        offsets.set(id, offset);
        ids.put(name, id);
        return true;
    }

    static String line(int id, long offset, String name) {
        return id + "\t" + offset + "\t" + name + "\n";
    }

    /** Parses complete lines of tags.tsv starting at byte {@code from}; returns the bytes consumed. */
    long load(Path file, long from) {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return from;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int start = (int) Math.min(from, all.length);
        int pos = start;
        for (int i = start; i < all.length; i++) {
            if (all[i] != '\n') continue;
            String[] parts = new String(all, pos, i - pos, StandardCharsets.UTF_8).split("\t", 3);
            pos = i + 1;
            if (parts.length != 3) continue;
            try {
                put(Integer.parseInt(parts[0]), parts[2], Long.parseLong(parts[1]));
            } catch (NumberFormatException ignored) {
                // a damaged line: the log's own TAG_DEF records still name the tag
            }
        }
        return pos;
    }

    /** Forgets tags whose definition lies at or after {@code end} (cut from the log); they are the newest ids. */
    void retainBefore(long end) {
        while (!names.isEmpty() && (names.get(names.size() - 1) == null || offsets.get(names.size() - 1) >= end)) {
            int last = names.size() - 1;
            if (names.get(last) != null) ids.remove(names.get(last));
            names.remove(last);
            offsets.remove(last);
        }
    }

    /** Lines for every tag defined before {@code end} (recovery rewrites the file with these). */
    String linesBefore(long end) {
        StringBuilder sb = new StringBuilder();
        for (int id = 0; id < names.size(); id++)
            if (names.get(id) != null && offsets.get(id) < end) sb.append(line(id, offsets.get(id), names.get(id)));
        return sb.toString();
    }
}
