package trainwatch.train;

import org.nd4j.linalg.learning.config.AdaGrad;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.schedule.ISchedule;

import trainwatch.config.RunConfig.OptimizerConfig;
import trainwatch.config.RunConfig.ScheduleConfig;

/**
 * Config optimizer -> DL4J updater, every hyperparameter exactly as the parser
 * accepted it (its bounds are the updaters' bounds: docs/config.md), never
 * silently replaced by a DL4J default.
 */
final class Optimizers {
    private Optimizers() {}

    static IUpdater of(OptimizerConfig o, ScheduleConfig schedule) {
        double lr = o.lr();
        ISchedule s = Schedules.of(schedule, lr);
        IUpdater u = switch (o.type()) {
            case "sgd" -> new Sgd(lr);
            case "momentum" -> new ClassicMomentum(lr, null, o.momentum());
            case "nesterov" -> new Nesterovs(lr, o.momentum());
            case "adagrad" -> new AdaGrad(lr, o.eps());
            case "rmsprop" -> new RmsProp(lr, o.decay(), o.eps());
            case "adam" -> new Adam(lr, o.beta1(), o.beta2(), o.eps());
            // the lab's LbfgsFitter moves the parameters itself and sets lr to its accepted step length
            case "lbfgs" -> new Sgd(lr);
            default -> throw new UnsupportedOptimizerException("unknown optimizer.type " + o.type());
        };
        if (s != null) u.setLrAndSchedule(lr, s);
        return u;
    }

    static boolean isLbfgs(OptimizerConfig o) {
        return "lbfgs".equals(o.type());
    }

    /** An optimizer this trainer cannot run with this config; the run ends failed with this message. */
    static final class UnsupportedOptimizerException extends RuntimeException {
        UnsupportedOptimizerException(String message) {
            super(message);
        }
    }
}
