package trainwatch;

import java.util.Arrays;

import trainwatch.cli.CheckCommand;
import trainwatch.cli.EnsembleCommand;
import trainwatch.cli.ImportCommand;
import trainwatch.cli.ServeCommand;
import trainwatch.cli.SweepCommand;
import trainwatch.cli.TokenCommand;
import trainwatch.cli.TrainCommand;

/** Entry point of the one jar: serve | train | check | sweep | ensemble | import | token. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            System.err.println(USAGE);
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int code = switch (args[0]) {
            case "serve" -> ServeCommand.run(rest);
            case "train" -> TrainCommand.run(rest);
            case "check" -> CheckCommand.run(rest);
            case "sweep" -> SweepCommand.run(rest);
            case "ensemble" -> EnsembleCommand.run(rest);
            case "token" -> TokenCommand.run(rest);
            case "import" -> ImportCommand.run(rest);
            case "-h", "--help", "help" -> {
                System.out.println(USAGE);
                yield 0;
            }
            default -> {
                System.err.println("unknown command: " + args[0] + "\n" + USAGE);
                yield 2;
            }
        };
        if (code >= 0) System.exit(code); // serve returns -1: keep running
    }

    static final String USAGE = """
            usage: java -jar trainwatch.jar serve [--port 7070] [--host 127.0.0.1] [--runs runs] [--max-parallel N] [--public-url URL]
                       [--allowed-host NAME]... [--no-auth] [--auth-proxy-header H --trusted-proxy ADDR [--proxy-role ROLE]]
                   java -jar trainwatch.jar train CONFIG.json [--runs runs]
                   java -jar trainwatch.jar check overfit|gradients CONFIG.json [--max-iterations N]
                   java -jar trainwatch.jar check overfit|gradients --run ID [--runs runs]
                   java -jar trainwatch.jar check overfit|gradients --remote URL --run ID  (a check's Kubernetes Job)
                   java -jar trainwatch.jar sweep SPEC.json [--runs runs]
                   java -jar trainwatch.jar ensemble [--runs runs] (--sweep ID --top K | --run ID --last K | --seeds N CONFIG.json | RUN[:CHECKPOINT]...)
                   java -jar trainwatch.jar import FILE [--runs runs] [--name NAME]
                   java -jar trainwatch.jar token create NAME --role viewer|editor|admin | token list | token revoke NAME  [--runs runs]""";
}
