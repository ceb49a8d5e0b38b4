package trainwatch.team;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import trainwatch.json.Json;
import trainwatch.run.Problem;
import trainwatch.run.RunException;
import trainwatch.run.RunIndex;
import trainwatch.run.RunLabels;
import trainwatch.run.RunService;
import trainwatch.store.RunReader;
import trainwatch.store.RunStore;

/**
 * Notes and tags on runs (docs/api.md "Notes and tags"). Both live in the run's directory
 * (notes.jsonl appended, tags.json replaced), so they survive restarts and index rebuilds.
 * Every request is checked completely before anything is written: a refused one stores nothing.
 */
public final class TeamService {
    public static final int MAX_NOTE_CHARS = 2000;
    public static final int MAX_TAGS = 20;
    public static final int MAX_TAG_CHARS = 40;
    /** A tag: letters, digits and . _ - : after a letter or digit (safe in URLs, CSV and file names). */
    static final Pattern TAG = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_TAG_CHARS - 1) + "}");

    private final RunStore store;
    private final RunService runs;
    private final RunIndex index;
    private final Clock clock;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Note>> noteListeners = new CopyOnWriteArrayList<>();

    public TeamService(RunStore store, RunService runs, RunIndex index, Clock clock) {
        this.store = store;
        this.runs = runs;
        this.index = index;
        this.clock = clock;
    }

    /** Told (run id, note) after each note is stored; the live hub pushes it to the run's open pages. */
    public void onNote(BiConsumer<String, Note> listener) {
        noteListeners.add(listener);
    }

    public record NotesView(String id, List<Note> notes) {}

    public record TagsView(String id, List<String> tags) {}

    public NotesView notes(String id) {
        runs.requireRun(id);
        return new NotesView(id, Notes.read(store.dir(id)));
    }

    /** Body {"text": "..."}: 1..2000 characters of plain text (not only blanks). */
    public Note addNote(String id, String body, String author) {
        runs.requireRun(id);
        JsonNode req = object(body);
        unknownKeys(req, Set.of("text"));
        JsonNode text = req.get("text");
        if (text == null || !text.isTextual()) throw RunException.invalid("text", "is required: the note's plain text (a string)");
        String s = text.asText().strip();
        if (s.isEmpty()) throw RunException.invalid("text", "must not be empty");
        if (s.codePointCount(0, s.length()) > MAX_NOTE_CHARS)
            throw RunException.invalid("text", "must be at most " + MAX_NOTE_CHARS + " characters (got " + s.codePointCount(0, s.length()) + ")");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) && c != '\n' && c != '\t')
                throw RunException.invalid("text", "must be plain text: control character U+" + String.format("%04X", (int) c) + " at " + i);
        }
        Note note;
        synchronized (lock(id)) {
            runs.requireRun(id); // deleted while we waited
            note = Notes.append(store.dir(id), author, clock.millis(), s);
        }
        for (BiConsumer<String, Note> l : noteListeners) l.accept(id, note);
        return note;
    }

    public TagsView tags(String id) {
        runs.requireRun(id);
        return new TagsView(id, RunLabels.read(store.dir(id)));
    }

    /** Body {"add": [...], "remove": [...]} (either may be left out): the run's tags afterwards. */
    public TagsView changeTags(String id, String body) {
        runs.requireRun(id);
        JsonNode req = object(body);
        unknownKeys(req, Set.of("add", "remove"));
        List<String> add = tagList(req, "add", true), remove = tagList(req, "remove", false);
        if (add.isEmpty() && remove.isEmpty()) throw RunException.invalid("add", "give tags to add or remove, e.g. {\"add\": [\"baseline\"]}");
        synchronized (lock(id)) {
            runs.requireRun(id);
            LinkedHashSet<String> tags = new LinkedHashSet<>(RunLabels.read(store.dir(id)));
            tags.removeAll(remove);
            tags.addAll(add);
            if (tags.size() > MAX_TAGS) throw RunException.invalid("add", "a run has at most " + MAX_TAGS + " tags (this would make " + tags.size() + ")");
            List<String> now = List.copyOf(tags);
            RunLabels.write(store.dir(id), now);
            index.touch(id); // the list entry (and every open run list) shows it at once
            return new TagsView(id, now);
        }
    }

    /** An export ready to stream (the run's reader stays open until it is closed). */
    public static final class Download implements AutoCloseable {
        public final String filename;
        public final String contentType;
        private final RunReader reader;
        private final Export.Format format;
        private final String tag;
        private final Export.Header header;

        Download(String filename, RunReader reader, Export.Format format, String tag, Export.Header header) {
            this.filename = filename;
            this.contentType = format.contentType;
            this.reader = reader;
            this.format = format;
            this.tag = tag;
            this.header = header;
        }

        public void writeTo(java.io.Writer out) throws java.io.IOException {
            Export.write(reader, format, tag, header, out);
        }

        @Override
        public void close() {
            reader.close();
        }
    }

    /** GET /api/runs/{id}/export?format=csv|jsonl[&tag=T]: checked here, before a byte is sent. */
    public Download export(String id, String format, String tag) {
        runs.requireRun(id);
        Export.Format f;
        if (format == null || format.equals("csv")) f = Export.Format.CSV;
        else if (format.equals("jsonl")) f = Export.Format.JSONL;
        else throw RunException.invalid("format", "must be csv or jsonl (got " + clip(format) + ")");
        if (tag != null && tag.isBlank()) throw RunException.invalid("tag", "must not be empty (leave it out for every tag)");
        RunReader r;
        try {
            r = store.reader(id);
        } catch (trainwatch.store.RunNotFoundException e) {
            throw RunException.notFound("no run with id " + id);
        }
        try {
            List<String> metricTags = r.tags();
            if (tag != null && !metricTags.contains(tag)) throw RunException.of(RunException.Kind.NOT_FOUND, "tag", "run " + id + " has no tag " + clip(tag));
            JsonNode config = Json.tree(r.configJson());
            String name = config != null && config.path("name").isTextual() ? config.get("name").asText() : id;
            Export.Header h = new Export.Header("run", Export.FORMAT_NAME, Export.VERSION, id, name, r.state().status().wire(), config,
                    metricTags, RunLabels.read(store.dir(id)));
            String file = id + (tag == null ? "" : "-" + tag.replace('/', '_')) + "." + f.extension;
            return new Download(file, r, f, tag, h);
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    /** A tag as a query parameter (the run list's tag filter): the same rule, 400 naming the field. */
    public static void checkTag(String field, String tag) {
        if (!TAG.matcher(tag).matches())
            throw RunException.invalid(field, "must be 1.." + MAX_TAG_CHARS + " letters, digits or . _ - : starting with a letter or digit (got " + clip(tag) + ")");
    }

    private static List<String> tagList(JsonNode req, String field, boolean check) {
        JsonNode n = req.get(field);
        if (n == null || n.isNull()) return List.of();
        if (!n.isArray()) throw RunException.invalid(field, "must be a list of tags, e.g. [\"baseline\"]");
        if (n.size() > MAX_TAGS) throw RunException.invalid(field, "at most " + MAX_TAGS + " tags (got " + n.size() + ")");
        List<Problem> problems = new ArrayList<>();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            JsonNode t = n.get(i);
            String f = field + "[" + i + "]";
            if (!t.isTextual()) problems.add(new Problem(f, "must be a string"));
            else if (check && !TAG.matcher(t.asText()).matches())
                problems.add(new Problem(f, "must be 1.." + MAX_TAG_CHARS + " letters, digits or . _ - : starting with a letter or digit (got " + clip(t.asText()) + ")"));
            else out.add(t.asText());
        }
        if (!problems.isEmpty()) throw RunException.invalid(problems);
        return out;
    }

    private static JsonNode object(String body) {
        JsonNode req = Json.tree(body);
        if (req == null || !req.isObject()) throw RunException.invalid("", "the body must be a JSON object");
        return req;
    }

    private static void unknownKeys(JsonNode req, Set<String> known) {
        for (Iterator<String> it = req.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) throw RunException.invalid(clip(k), "is not a field here (" + String.join(", ", known) + ")");
        }
    }

    private Object lock(String id) {
        return locks.computeIfAbsent(id, k -> new Object());
    }

    static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
