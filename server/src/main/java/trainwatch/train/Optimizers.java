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
 * Config optimizer -> DL4J updater. A hyperparameter left at 0 where 0 makes
 * no sense (eps, betas, decay) falls back to DL4J's default.
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
            case "adagrad" -> new AdaGrad(lr, or(o.eps(), AdaGrad.DEFAULT_ADAGRAD_EPSILON));
            case "rmsprop" -> new RmsProp(lr, or(o.decay(), RmsProp.DEFAULT_RMSPROP_RMSDECAY), or(o.eps(), RmsProp.DEFAULT_RMSPROP_EPSILON));
            case "adam" -> new Adam(lr, or(o.beta1(), Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY),
                    or(o.beta2(), Adam.DEFAULT_ADAM_BETA2_VAR_DECAY), or(o.eps(), Adam.DEFAULT_ADAM_EPSILON));
            // the lab's LbfgsFitter moves the parameters itself and sets lr to its accepted step length
            case "lbfgs" -> new Sgd(lr);
            default -> throw new UnsupportedOptimizerException("unknown optimizer.type " + o.type());
        };
        if (s != null) u.setLrAndSchedule(lr, s);
        return u;
    }

    private static double or(double v, double fallback) {
        return v > 0 ? v : fallback;
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
