package trainwatch.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import trainwatch.store.RunStore;
import trainwatch.team.Import;

/**
 * `import FILE [--runs DIR] [--name NAME]`: a run exported as JSON lines or CSV (docs/export.md)
 * becomes a finished run under DIR with the same curves, bit for bit. The whole file is checked
 * first: a bad line exits 2 naming the line and field, and nothing is written. Exit 0 imported
 * (the new run's id on stdout), 1 could not write it, 2 bad file or arguments.
 */
public final class ImportCommand {
    static final String USAGE = "usage: import FILE [--runs runs] [--name NAME]";

    private ImportCommand() {}

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path file = null, runs = Path.of("runs");
        String name = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ((a.equals("--runs") || a.equals("--name")) && i + 1 < args.length) {
                if (a.equals("--runs")) runs = Path.of(args[++i]);
                else name = args[++i];
            } else if (!a.startsWith("--") && file == null) file = Path.of(a);
            else {
                err.println("import: unexpected argument " + a + "\n" + USAGE);
                return 2;
            }
        }
        if (file == null) {
            err.println("import: FILE is required\n" + USAGE);
            return 2;
        }
        if (!Files.isRegularFile(file)) {
            err.println("import: " + file + ": no such file");
            return 2;
        }
        if (name != null && (name.isBlank() || name.length() > 200)) {
            err.println("import: --name must be 1..200 characters");
            return 2;
        }
        try {
            Files.createDirectories(runs);
            Import.Result r = Import.run(new RunStore(runs.toAbsolutePath().normalize(), Clock.systemUTC()), file, name);
            out.println(r.id());
            err.println("imported " + file.getFileName() + " as run " + r.id() + " (" + r.name() + "): " + r.records() + " records, "
                    + r.points() + " values, last step " + r.lastStep());
            return 0;
        } catch (Import.ImportException e) {
            err.println("import: " + file.getFileName() + " " + e.getMessage() + " (nothing was imported)");
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("import: could not import " + file.getFileName() + ": " + e);
            return 1;
        }
    }
}
