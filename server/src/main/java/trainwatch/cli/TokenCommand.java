package trainwatch.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

import trainwatch.auth.AuditLog;
import trainwatch.auth.Role;
import trainwatch.auth.Token;
import trainwatch.auth.TokenStore;

/**
 * {@code token create NAME --role viewer|editor|admin | token list | token revoke NAME  [--runs runs]}
 * (docs/auth.md). The secret is printed once, on stdout alone, so {@code TOKEN=$(... token create ...)}
 * works; only its SHA-256 is stored. A running server sees the change on its next request.
 */
public final class TokenCommand {
    private TokenCommand() {}

    static final String USAGE = "usage: token create NAME --role viewer|editor|admin [--runs runs] | token list [--runs runs] | token revoke NAME [--runs runs]";

    public static int run(String[] args) {
        try {
            return execute(args);
        } catch (IllegalArgumentException e) {
            System.err.println("token: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (RuntimeException e) {
            System.err.println("token: " + e.getMessage());
            return 1;
        }
    }

    private static int execute(String[] args) {
        if (args.length == 0) throw new IllegalArgumentException("which one: create, list or revoke?");
        String verb = args[0];
        String name = null;
        Role role = null;
        Path runs = Path.of("runs");
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--role" -> {
                    role = Role.parse(need(a, v));
                    i++;
                }
                case "--runs" -> {
                    runs = Path.of(need(a, v));
                    i++;
                }
                default -> {
                    if (a.startsWith("--") || name != null) throw new IllegalArgumentException("unexpected " + a);
                    name = a;
                }
            }
        }
        Path root = runs.toAbsolutePath().normalize();
        TokenStore tokens = new TokenStore(root, Clock.systemUTC());
        AuditLog audit = new AuditLog(root, Clock.systemUTC());
        String who = "cli:" + System.getProperty("user.name", "unknown");
        switch (verb) {
            case "create" -> {
                if (name == null) throw new IllegalArgumentException("create needs a NAME");
                if (role == null) throw new IllegalArgumentException("create needs --role viewer|editor|admin");
                TokenStore.Created made = tokens.create(name, role, who);
                audit.append(who, "token.create", name, 201, "cli");
                System.err.println("token " + name + " (" + role.wire() + ") created; it is shown this once, keep it secret:");
                System.out.println(made.secret());
                return 0;
            }
            case "list" -> {
                if (name != null) throw new IllegalArgumentException("list takes no NAME");
                System.out.printf("%-32s %-7s %-20s %s%n", "NAME", "ROLE", "CREATED", "BY");
                for (Token t : tokens.list())
                    System.out.printf("%-32s %-7s %-20s %s%n", t.name(), t.role().wire(), Instant.ofEpochMilli(t.created()).toString().substring(0, 19), t.createdBy());
                return 0;
            }
            case "revoke" -> {
                if (name == null) throw new IllegalArgumentException("revoke needs a NAME");
                if (!tokens.revoke(name)) {
                    System.err.println("token: no token named " + name);
                    return 1;
                }
                audit.append(who, "token.revoke", name, 200, "cli");
                System.err.println("token " + name + " revoked: its sessions end now");
                return 0;
            }
            default -> throw new IllegalArgumentException("unknown token command " + verb);
        }
    }

    private static String need(String opt, String v) {
        if (v == null || v.startsWith("--")) throw new IllegalArgumentException(opt + " needs a value");
        return v;
    }
}
