package trainwatch.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.type.TypeReference;

import trainwatch.json.Json;

/**
 * The tokens, in runs/.auth/tokens.json (owner-only, 0600, in a 0700 directory): name, role and the
 * SHA-256 of each secret. The secret itself is printed once by {@link #create} and stored nowhere.
 * The CLI and the server share the file: every change is a locked read-modify-write replaced
 * atomically, and the server re-reads the file whenever its identity, size or mtime changed (a stat per
 * lookup), so a token revoked from the command line stops working on the next request.
 */
public final class TokenStore {
    public static final String DIR = ".auth", FILE = "tokens.json";
    static final String NAME_RULE = "[A-Za-z0-9._@-]{1,64}";
    private static final Pattern NAME = Pattern.compile(NAME_RULE);
    /** Tokens start with this, so a leaked one is recognisable (secret scanners, logs). */
    public static final String PREFIX = "tw_";

    private final Path dir;
    private final Path file;
    private final Clock clock;
    private volatile Snapshot snapshot = new Snapshot(null, List.of());

    /** The file's identity when read, and what it held. */
    private record Snapshot(Object stamp, List<Token> tokens) {}

    /** A fresh token: the secret (shown once) and what is stored. */
    public record Created(Token token, String secret) {}

    public TokenStore(Path runsRoot, Clock clock) {
        this.dir = runsRoot.resolve(DIR);
        this.file = dir.resolve(FILE);
        this.clock = clock;
    }

    public Path file() {
        return file;
    }

    static boolean validName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The tokens as on disk now. */
    public List<Token> list() {
        return current();
    }

    /** True when at least one token exists: then every request must authenticate. */
    public boolean any() {
        return !current().isEmpty();
    }

    /** The token this secret belongs to, or null. Every stored hash is compared (no early exit on a match's position). */
    public Token find(String secret) {
        if (secret == null || secret.isEmpty()) return null;
        Token hit = null;
        for (Token t : current()) if (Secrets.matches(secret, t.sha256()) && hit == null) hit = t;
        return hit;
    }

    /** The token named so, or null. */
    public Token named(String name) {
        for (Token t : current()) if (t.name().equals(name)) return t;
        return null;
    }

    /** Creates a token; IllegalArgumentException when the name is taken or invalid. */
    public Created create(String name, Role role, String createdBy) {
        if (!validName(name)) throw new IllegalArgumentException("token name must match " + NAME_RULE + " (got " + name + ")");
        String secret = Secrets.random(PREFIX);
        Token t = new Token(name, role, Secrets.sha256Hex(secret), clock.millis(), createdBy);
        change(list -> {
            for (Token o : list) if (o.name().equals(name)) throw new IllegalArgumentException("a token named " + name + " exists: revoke it first");
            list.add(t);
        });
        return new Created(t, secret);
    }

    /** Removes the token; false when there was none of that name. */
    public boolean revoke(String name) {
        if (named(name) == null) return false;
        boolean[] found = {false};
        change(list -> found[0] = list.removeIf(t -> t.name().equals(name)));
        return found[0];
    }

    private interface Edit {
        void apply(List<Token> tokens);
    }

    private synchronized void change(Edit edit) {
        try {
            createDir();
            try (FileChannel lock = FileChannel.open(dir.resolve("tokens.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lock.lock()) {
                List<Token> tokens = new ArrayList<>(read());
                edit.apply(tokens);
                Path tmp = dir.resolve(FILE + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(new FileBody(tokens)));
                try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    c.force(true);
                }
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private record FileBody(List<Token> tokens) {}

    private void createDir() throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // made before
        }
    }

    /** The tokens, re-read when the file changed since the last look (identity, size, mtime). */
    private List<Token> current() {
        Object stamp = stamp();
        Snapshot s = snapshot;
        if (Objects.equals(s.stamp(), stamp)) return s.tokens();
        synchronized (this) {
            stamp = stamp();
            if (!Objects.equals(snapshot.stamp(), stamp)) snapshot = new Snapshot(stamp, read());
            return snapshot.tokens();
        }
    }

    private Object stamp() {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return List.of(String.valueOf(a.fileKey()), a.size(), a.lastModifiedTime().toMillis(), a.lastModifiedTime().toString());
        } catch (NoSuchFileException e) {
            return "none";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private List<Token> read() {
        try {
            byte[] b = Files.readAllBytes(file);
            FileBody body = Json.MAPPER.readValue(b, new TypeReference<FileBody>() {});
            return body.tokens() == null ? List.of() : List.copyOf(body.tokens());
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            // a broken token file must never mean "no tokens" (that would switch authentication off)
            throw new UncheckedIOException("cannot read " + file + " (fix or delete it): " + e.getMessage(), e);
        }
    }
}
