package trainwatch.run;

import java.io.IOException;

/** Starts the processes that do the heavy work, so the server itself never loads ND4J. */
public interface Launcher {
    /** {@code trainwatch.Main train --run ID --runs DIR}, output to runs/<id>/trainer.log. */
    Process startTrainer(String id) throws IOException;

    /** {@code trainwatch.Main check NAME --run ID --runs DIR}, output to runs/<id>/check-<name>.log. */
    Process startCheck(String id, String check) throws IOException;
}
